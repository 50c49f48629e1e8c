using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeHa.E2E.Infrastructure;

/// <summary>
/// The real KubeHa.Web app served by Kestrel on a free loopback port (so a real browser can reach it), with the
/// embedded agent (Hangfire worker) and a data directory of its own that is deleted on dispose.
/// </summary>
public sealed class KubeHaApp : IAsyncDisposable
{
    private readonly Factory _factory;

    private KubeHaApp(Factory factory, string dataDirectory)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
    }

    public const string AdminUserName = "admin";

    public const string AdminPassword = "e2e-admin-password";

    /// <summary>Root URL, e.g. "http://127.0.0.1:41234/".</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string DataDirectory { get; }

    /// <summary>The app's container, to arrange state through the same services the UI uses.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <param name="settings">Extra configuration ("KubeHa:Agent:WorkerCount" = "4", ...).</param>
    public static KubeHaApp Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = Directory.CreateTempSubdirectory("kubeha-e2e-").FullName;
        var factory = new Factory(data, settings ?? new Dictionary<string, string?>());
        factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();

        var app = new KubeHaApp(factory, data);
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _factory.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // With minimal hosting, both the factory and Program's RunAsync stop the host. Hangfire's hosted service
            // stops cleanly on the first call ("All dispatchers stopped"), but the concurrent second StopAsync waits
            // for a shutdown signal it already consumed until the host's shutdown timeout. Only a test host stops twice.
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp; harmless.
        }
    }

    private sealed class Factory(string dataDirectory, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("KubeHa:DataDirectory", dataDirectory);
            builder.UseSetting("KubeHa:Admin:UserName", AdminUserName);
            builder.UseSetting("KubeHa:Admin:Password", AdminPassword);
            builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5)));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
