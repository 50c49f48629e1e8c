using Bunit;
using KubeHa.Web.Components.Pages.Clusters;

namespace KubeHa.Web.Tests.Pages;

/// <summary>The create wizard shows ClusterCatalog's validation messages on the fields they concern, step by step.</summary>
public sealed class CreateClusterPageTests : IAsyncLifetime
{
    private ClusterPagesTestContext _ctx = null!;

    public async Task InitializeAsync() => _ctx = await ClusterPagesTestContext.CreateAsync();

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public void Next_InvalidBasics_ShowsMessagesUnderNameAndVersionAndStays()
    {
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();

        page.Find("[data-testid=wizard-name]").Input("Prod Cluster");
        page.Find("[data-testid=wizard-version]").Input("1.20.1");
        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("a DNS label", FieldText(page, "wizard-name"), StringComparison.Ordinal);
            Assert.Contains("is not supported", FieldText(page, "wizard-version"), StringComparison.Ordinal);
        });
        Assert.NotNull(page.Find("[data-testid=wizard-name]"));
    }

    [Fact]
    public async Task Next_KeepalivedWithoutVip_ShowsMessageUnderVirtualIp()
    {
        await _ctx.AddHostsAsync("cp1");
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();
        page.Find("[data-testid=wizard-name]").Input("prod");
        page.Find("[data-testid=wizard-next]").Click();
        page.WaitForElement("[data-testid=wizard-vip]");

        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForAssertion(() => Assert.Contains("needs a free IPv4 virtual IP", FieldText(page, "wizard-vip"), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=wizard-hosts]"));
    }

    [Fact]
    public async Task Next_EvenControlPlanes_ShowsQuorumErrorOnHostsStep()
    {
        await _ctx.AddHostsAsync("cp1", "cp2", "lb1");
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();
        ToHostsStepWithDedicatedLoadBalancer(page);

        var rows = page.FindAll("[data-testid=wizard-hosts] tbody tr");
        rows[0].QuerySelector("[data-testid=role-cp]")!.Change(true);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[1].QuerySelector("[data-testid=role-cp]")!.Change(true);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[2].QuerySelector("[data-testid=role-lb]")!.Change(true);
        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=hosts-error]"), e => e.TextContent.Contains("2 stacked control planes", StringComparison.Ordinal)));
        Assert.Contains("cp1", page.Find("[data-testid=diagram-control-planes]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkStep_CniChoices_ShowTheVendoredVersionsAndWeaveUnmaintained()
    {
        await _ctx.AddHostsAsync("cp1", "lb1");
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();
        ToHostsStepWithDedicatedLoadBalancer(page);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[0].QuerySelector("[data-testid=role-cp]")!.Change(true);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[1].QuerySelector("[data-testid=role-lb]")!.Change(true);
        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForElement("[data-testid=wizard-cni]");
        Assert.Contains("Flannel v0.28.9", Label(page, "cni-flannel"), StringComparison.Ordinal);
        Assert.Contains("Calico v3.32.1", Label(page, "cni-calico"), StringComparison.Ordinal);
        Assert.Contains("Cilium v1.19.6", Label(page, "cni-cilium"), StringComparison.Ordinal);
        Assert.Contains("Weave Net 2.8.1", Label(page, "cni-weave"), StringComparison.Ordinal);
        var chip = page.Find("[data-testid=cni-weave]").Closest("label")!.QuerySelector("[data-testid=cni-unmaintained]")!;
        Assert.Equal("unmaintained", chip.TextContent.Trim());
        Assert.Contains("last release", chip.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=cni-unmaintained]"));
    }

    [Fact]
    public async Task Next_ErrorOnAnEarlierStep_ShowsItAndGoesThere()
    {
        await _ctx.AddHostsAsync("cp1", "lb1", "lb2");
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();
        page.Find("[data-testid=wizard-name]").Input("prod");
        page.Find("[data-testid=wizard-next]").Click();
        page.WaitForElement("[data-testid=wizard-vip]");
        page.Find("[data-testid=wizard-vip]").Input("10.7.0.1"); // cp1's own address
        page.Find("[data-testid=wizard-next]").Click();
        page.WaitForElement("[data-testid=wizard-hosts]");
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[0].QuerySelector("[data-testid=role-cp]")!.Change(true);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[1].QuerySelector("[data-testid=role-lb]")!.Change(true);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[2].QuerySelector("[data-testid=role-lb]")!.Change(true);

        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForAssertion(() => Assert.Contains("Step 2 (Topology) has an error: The virtual IP 10.7.0.1 is cp1's own address", page.Find("[data-testid=wizard-notice]").TextContent, StringComparison.Ordinal));
        Assert.Contains("is cp1's own address", FieldText(page, "wizard-vip"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostsStep_HostNotCheckedOrFailed_CannotBeGivenRoles()
    {
        await _ctx.AddHostsAsync("cp1", "lb1");
        var failed = (await _ctx.AddHostsAsync("bad")).Single();
        await _ctx.SetCheckAsync(failed, KubeHa.Core.Hosts.HostCheckStatus.Failed, KubeHa.Core.Hosts.HostCheckErrorKind.Unreachable);
        var never = (await _ctx.AddHostsAsync("new")).Single();
        await _ctx.SetCheckAsync(never, KubeHa.Core.Hosts.HostCheckStatus.NeverChecked, null);
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();

        ToHostsStepWithDedicatedLoadBalancer(page);

        var rows = page.FindAll("[data-testid=wizard-hosts] tbody tr");
        Assert.Contains("check failed: Unreachable", rows[0].TextContent, StringComparison.Ordinal);
        Assert.True(rows[0].QuerySelector("[data-testid=role-cp]")!.HasAttribute("disabled"));
        Assert.Contains("not checked", rows[3].TextContent, StringComparison.Ordinal);
        Assert.True(rows[3].QuerySelector("[data-testid=role-cp]")!.HasAttribute("disabled"));
        Assert.False(rows[1].QuerySelector("[data-testid=role-cp]")!.HasAttribute("disabled"));
        Assert.NotNull(page.Find("[data-testid=wizard-unchecked-note]"));
    }

    [Fact]
    public void BasicsStep_Version_OffersTheRepositoryReleasesAndRefusesOthers()
    {
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();

        var offered = page.FindAll("[data-testid=wizard-versions] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal("1.37.3", offered[0]);
        Assert.Equal("1.37.3", page.Find("[data-testid=wizard-version]").GetAttribute("value"));
        Assert.Equal("1.29.0", offered[^1]);
        Assert.Equal("list", page.Find("[data-testid=wizard-version]").Attributes["list"]?.Name);

        page.Find("[data-testid=wizard-name]").Input("prod");
        page.Find("[data-testid=wizard-version]").Input("1.40.0");
        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForAssertion(() => Assert.Contains("is not supported: KubeHa provisions 1.29 to 1.37", FieldText(page, "wizard-version"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Review_GeneratedFiles_OpenWithSecretsMasked()
    {
        await _ctx.AddHostsAsync("cp1", "lb1");
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();
        page.Find("[data-testid=wizard-name]").Input("prod");
        page.Find("[data-testid=wizard-version]").Input("v1.31.2");
        ToHostsStepWithDedicatedLoadBalancer(page, named: false);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[0].QuerySelector("[data-testid=role-cp]")!.Change(true);
        page.FindAll("[data-testid=wizard-hosts] tbody tr")[1].QuerySelector("[data-testid=role-lb]")!.Change(true);
        page.Find("[data-testid=wizard-next]").Click();
        page.WaitForElement("[data-testid=wizard-cni]");
        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForElement("[data-testid=generated-files]", TimeSpan.FromSeconds(30));
        var files = page.FindAll("[data-testid=generated-file]").Select(f => f.TextContent).ToList();
        var kubeadm = Assert.Single(files, f => f.Contains("/etc/kubernetes/kubeha/kubeadm-init.yaml", StringComparison.Ordinal));
        Assert.Contains("v1.31.2", kubeadm, StringComparison.Ordinal);
        Assert.Matches(@"token: ""?\*\*\*", kubeadm);
        Assert.DoesNotMatch(@"[a-z0-9]{6}\.[a-z0-9]{16}", kubeadm);
        Assert.Contains(files, f => f.Contains("haproxy.cfg", StringComparison.Ordinal) && f.Contains("backend", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains("kube-flannel", StringComparison.Ordinal) || f.Contains("calico", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("1.31.2", page.Find("[data-testid=review-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostsStep_OnAPhone_EveryRoleCheckboxIsLabelled()
    {
        await _ctx.AddHostsAsync("cp1", "lb1");
        _ctx.RenderProviders();
        var page = _ctx.Bunit.Render<CreateClusterPage>();

        ToHostsStepWithDedicatedLoadBalancer(page);

        var cells = page.FindAll("[data-testid=wizard-hosts] tbody tr")[0].QuerySelectorAll("td");
        Assert.Contains(cells, c => c.GetAttribute("data-label") == "Control plane");
        Assert.Contains(cells, c => c.GetAttribute("data-label") == "Load balancer");
    }

    /// <summary>The text of the radio's label, whitespace collapsed (the test id sits on its input).</summary>
    /// <summary>Names the cluster "prod", picks the dedicated HAProxy host and goes on to the hosts step.</summary>
    private static void ToHostsStepWithDedicatedLoadBalancer(IRenderedComponent<CreateClusterPage> page, bool named = true)
    {
        if (named)
        {
            page.Find("[data-testid=wizard-name]").Input("prod");
        }

        page.Find("[data-testid=wizard-next]").Click();
        page.WaitForElement("[data-testid=lb-dedicated]");
        page.Find("[data-testid=lb-dedicated]").Click();
        page.Find("[data-testid=wizard-next]").Click();
        page.WaitForElement("[data-testid=wizard-hosts]");
    }

    private static string Label(IRenderedComponent<CreateClusterPage> page, string testId) =>
        string.Join(' ', page.Find($"[data-testid={testId}]").Closest("label")!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string FieldText(IRenderedComponent<CreateClusterPage> page, string testId)
        => page.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;
}
