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

/// <summary>The Hosts page shows HostInventory's validation messages under the fields they concern.</summary>
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
        var providers = _ctx.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
        });
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

    private static string FieldText(IRenderedComponent<Bunit.Rendering.ContainerFragment> providers, string testId)
        => providers.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;


}
