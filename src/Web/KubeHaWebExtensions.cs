using Hangfire;
using KubeHa.Agent;
using KubeHa.Web.Components;
using MudBlazor.Services;

namespace KubeHa.Web;

/// <summary>The one registration entry point of KubeHa.Web: UI, API, hubs, and the embedded agent.</summary>
public static class KubeHaWebExtensions
{
    public static WebApplicationBuilder AddKubeHaWeb(this WebApplicationBuilder builder)
    {
        var embedAgent = builder.Configuration.GetValue("KubeHa:Agent:Embedded", defaultValue: true);
        builder.Services.AddKubeHaAgent(runWorker: embedAgent);

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(mud =>
        {
            // Bottom right: snackbars must not cover the page's action buttons in the top right.
            mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            mud.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication UseKubeHaWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealthChecks("/healthz");
        app.MapHangfireDashboard("/hangfire");
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
