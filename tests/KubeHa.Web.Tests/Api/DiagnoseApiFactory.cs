using KubeHa.Web.Tests.Infrastructure;

namespace KubeHa.Web.Tests.Api;

/// <summary>The real KubeHa.Web app on a throw-away data directory, without the embedded Hangfire worker.</summary>
public sealed class DiagnoseApiFactory()
    : KubeHaAppFactory(null, AdminPassword, new Dictionary<string, string?> { ["KubeHa:Agent:Embedded"] = "false" });
