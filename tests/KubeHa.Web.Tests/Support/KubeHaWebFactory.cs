using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KubeHa.Web.Tests.Support;

/// <summary>The real KubeHa.Web app (in-memory server) on a data directory of its own.</summary>
public sealed class KubeHaWebFactory(string dataDirectory) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("KubeHa:DataDirectory", dataDirectory);
        builder.UseSetting("KubeHa:Agent:Embedded", "false");
    }
}
