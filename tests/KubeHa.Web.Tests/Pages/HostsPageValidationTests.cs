using KubeHa.Agent;
using Bunit;
using KubeHa.Core;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using KubeHa.Web.Components.Pages.Hosts;
using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace KubeHa.Web.Tests.Pages;

/// <summary>The Hosts page shows HostInventory's validation messages under the fields they concern, imports an inventory
/// with a preview that names what is wrong per host, and checks hosts without expanding every row.</summary>
public sealed class HostsPageValidationTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly BunitContext _ctx = new();

    public async Task InitializeAsync()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KubeHa:DataDirectory"] = _data.Path })
            .Build());
        _ctx.Services.AddKubeHaAgent(runWorker: false); // real Data Protection and Hangfire schedulers (jobs are enqueued, never run)
        _ctx.Services.AddMudServices();
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("otto");
        auth.SetPolicies(KubeHaPolicies.Viewer, KubeHaPolicies.Operator);
        _ctx.Services.AddScoped<CircuitUser>();
        await _ctx.Services.InitializeKubeHaDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task SaveHost_InvalidFields_ShowsMessageUnderEachField()
    {
        await _ctx.Services.GetRequiredService<CredentialStore>()
            .CreateAsync(new CredentialInput { Name = "lab", Kind = CredentialKind.Password, Password = "pw" }, default);
        var providers = RenderProviders();
        var page = _ctx.Render<HostsPage>();

        page.Find("button[data-testid=add-host]").Click();
        providers.WaitForElement("[data-testid=host-save]");
        providers.Find("[data-testid=host-address]").Input("10.0.0.999");
        providers.Find("[data-testid=host-username]").Input("9lives");
        providers.Find("[data-testid=host-save]").Click();

        providers.WaitForAssertion(() =>
        {
            Assert.Contains("Give the host a name.", FieldText(providers, "host-name"), StringComparison.Ordinal);
            Assert.Contains("is not a valid IPv4 address", FieldText(providers, "host-address"), StringComparison.Ordinal);
            Assert.Contains("is not a valid Linux user name", FieldText(providers, "host-username"), StringComparison.Ordinal);
        });
        Assert.Empty(await _ctx.Services.GetRequiredService<HostInventory>().ListAsync(default));
    }

    [Fact]
    public async Task Import_InventoryWithAKnownHost_PreviewsProblemImportsTheRestAndQueuesChecks()
    {
        var credential = (await _ctx.Services.GetRequiredService<CredentialStore>()
            .CreateAsync(new CredentialInput { Name = "lab", Kind = CredentialKind.Password, Password = "pw" }, default)).Value;
        var inventory = _ctx.Services.GetRequiredService<HostInventory>();
        await inventory.AddAsync(new HostInput { Name = "old1", Address = "10.77.0.11", Port = 22, Username = "kubeha", CredentialId = credential }, default);
        var providers = RenderProviders();
        var page = _ctx.Render<HostsPage>();

        page.Find("button[data-testid=import-hosts]").Click();
        providers.WaitForElement("[data-testid=import-text]");
        providers.Find("textarea[data-testid=import-text]").Input("""
            [kube_control_plane]
            node1 ansible_host=10.77.0.11
            node2 ansible_host=10.77.0.12
            [kube_node]
            node3 ansible_host=10.77.0.13 ansible_user=root
            """);
        providers.Find("[data-testid=import-username]").Input("kubeha");
        providers.Find("button[data-testid=import-preview]").Click();

        providers.WaitForAssertion(() => Assert.Equal(3, providers.FindAll("[data-testid=import-row]").Count));
        var rows = providers.FindAll("[data-testid=import-row]");
        Assert.Contains("Host 'old1' already has the address 10.77.0.11:22", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Control plane", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("root", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("Import 2 host(s)", providers.Find("[data-testid=import-save]").TextContent, StringComparison.Ordinal);
        providers.Find("button[data-testid=import-save]").Click();

        await WaitForAsync(async () => (await inventory.ListAsync(default)).Count == 3);
        var hosts = await inventory.ListAsync(default);
        Assert.Equal(["node2", "node3", "old1"], hosts.Select(h => h.Name));
        Assert.Equal(("kubeha", "root"), (hosts[0].Username, hosts[1].Username));
        Assert.All(hosts.Take(2), h => Assert.Equal(HostCheckStatus.Queued, h.CheckStatus));
    }

    [Fact]
    public async Task CheckAll_SeveralHosts_QueuesThemWithoutExpandingRows()
    {
        var credential = (await _ctx.Services.GetRequiredService<CredentialStore>()
            .CreateAsync(new CredentialInput { Name = "lab", Kind = CredentialKind.Password, Password = "pw" }, default)).Value;
        var inventory = _ctx.Services.GetRequiredService<HostInventory>();
        await inventory.ImportAsync(
            [new HostInput { Name = "a", Address = "10.0.0.1", Username = "ops", CredentialId = credential }, new HostInput { Name = "b", Address = "10.0.0.2", Username = "ops", CredentialId = credential }],
            dryRun: false, default);
        RenderProviders();
        var page = _ctx.Render<HostsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=host-row-name]").Count));
        page.Find("button[data-testid=check-all]").Click();

        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-testid=host-status]"), s => Assert.Equal("Queued", s.GetAttribute("data-status"))));
        Assert.Empty(page.FindAll("[data-testid=host-details]"));
        page.FindAll("button[data-testid=host-expand]")[0].Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=host-details]")));
    }

    [Fact]
    public async Task CheckOne_RowCheckButton_QueuesThatHostAndOpensItsDetails()
    {
        var credential = (await _ctx.Services.GetRequiredService<CredentialStore>()
            .CreateAsync(new CredentialInput { Name = "lab", Kind = CredentialKind.Password, Password = "pw" }, default)).Value;
        var inventory = _ctx.Services.GetRequiredService<HostInventory>();
        await inventory.ImportAsync(
            [new HostInput { Name = "a", Address = "10.0.0.1", Username = "ops", CredentialId = credential }, new HostInput { Name = "b", Address = "10.0.0.2", Username = "ops", CredentialId = credential }],
            dryRun: false, default);
        RenderProviders();
        var page = _ctx.Render<HostsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=host-row-name]").Count));
        page.FindAll("button[data-testid=check-host]")[1].Click();

        page.WaitForAssertion(() => Assert.Equal(["NeverChecked", "Queued"], page.FindAll("[data-testid=host-status]").Select(s => s.GetAttribute("data-status"))));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=host-details]")));
    }

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderProviders() => _ctx.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }
    }

    private static string FieldText(IRenderedComponent<Bunit.Rendering.ContainerFragment> providers, string testId)
        => providers.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;


}
