using Hangfire;
using KubeHa.Agent;
using KubeHa.Web.Api;
using KubeHa.Web.Application;
using KubeHa.Web.Components;
using KubeHa.Web.Hubs;
using KubeHa.Web.Identity;
using KubeHa.Web.Security;
using MudBlazor.Services;

namespace KubeHa.Web;

/// <summary>The one registration entry point of KubeHa.Web: UI, API, hubs, identity, and the embedded agent.</summary>
public static class KubeHaWebExtensions
{
    public static WebApplicationBuilder AddKubeHaWeb(this WebApplicationBuilder builder)
    {
        // Catch a missing registration at start-up in every environment, not on the first request that needs it.
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateOnBuild = true;
            o.ValidateScopes = true;
        });

        var embedAgent = builder.Configuration.GetValue("KubeHa:Agent:Embedded", defaultValue: true);
        builder.Services.AddKubeHaAgent(runWorker: embedAgent);
        builder.Services.AddKubeHaIdentity();
        builder.Services.AddKubeHaForwardedHeaders();
        builder.Services.AddKubeHaSignInRateLimit();
        builder.Services.AddKubeHaApplication();
        builder.Services.AddKubeHaApi();
        builder.Services.AddKubeHaHubs();

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
        app.UseKubeHaForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(ErrorEndpoint.Path, createScopeForErrors: true);

            // Strict-Transport-Security on HTTPS responses, including those a trusted TLS proxy forwarded.
            app.UseHsts();
        }

        app.UseKubeHaSecurityHeaders();
        app.UseKubeHaSameOriginPolicy();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapKubeHaErrorEndpoint();
        app.MapAccountEndpoints();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new HangfireAdminFilter()] });
        app.MapKubeHaApi();
        app.MapKubeHaHubs();
        app.MapOpenApi(); // /openapi/v1.json, for signed-in users and tokens
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
