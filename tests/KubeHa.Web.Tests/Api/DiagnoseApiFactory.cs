using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KubeHa.Web.Tests.Api;

/// <summary>The real KubeHa.Web app on a throw-away data directory, without the embedded Hangfire worker.</summary>
public sealed class DiagnoseApiFactory : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "kubeha-web-tests-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing"); // not Development: service validation would need every job dependency registered
        builder.UseSetting("KubeHa:DataDirectory", _dataDirectory);
        builder.UseSetting("KubeHa:Agent:Embedded", "false");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
