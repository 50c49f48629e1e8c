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

    /// <summary>The text of the radio's label, whitespace collapsed (the test id sits on its input).</summary>
    /// <summary>Names the cluster "prod", picks the dedicated HAProxy host and goes on to the hosts step.</summary>
    private static void ToHostsStepWithDedicatedLoadBalancer(IRenderedComponent<CreateClusterPage> page)
    {
        page.Find("[data-testid=wizard-name]").Input("prod");
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
