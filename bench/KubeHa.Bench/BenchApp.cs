using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeHa.Bench;

/// <summary>
/// The real KubeHa.Web app (Blazor Server + REST + the embedded agent with its Hangfire worker) on Kestrel, in this
/// process, with its own data directory. Two additions only: the shell factory is wrapped by a recorder (the commands
/// run, for the Ansible replay) and the plan catalog knows the benchmark's "bench-log" plan.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "bench-admin-password";

    private readonly Factory _factory;

    private BenchApp(Factory factory, string dataDirectory)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public string DataDirectory { get; }

    public IServiceProvider Services => _factory.Services;

    public RecordingShellFactory Recorder => Services.GetRequiredService<RecordingShellFactory>();

    public static BenchApp Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = Directory.CreateTempSubdirectory("kubeha-bench-").FullName;
        var factory = new Factory(data, settings ?? new Dictionary<string, string?>());
        factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        var app = new BenchApp(factory, data);
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
            // Minimal hosting stops the host twice under WebApplicationFactory (see tests/KubeHa.E2E KubeHaApp).
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Factory(string dataDirectory, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development"); // as the E2E tests: static web assets are served from the build output only in Development
            builder.UseSetting("KubeHa:DataDirectory", dataDirectory);
            builder.UseSetting("KubeHa:Admin:UserName", AdminUserName);
            builder.UseSetting("KubeHa:Admin:Password", AdminPassword);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5)));
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<SshHostShellFactory>();
                services.AddSingleton(sp => new RecordingShellFactory(sp.GetRequiredService<SshHostShellFactory>()));
                services.Replace(ServiceDescriptor.Singleton<IHostShellFactory>(sp => sp.GetRequiredService<RecordingShellFactory>()));
                services.AddSingleton<PlanCatalog>();
                services.Replace(ServiceDescriptor.Singleton<IPlanCatalog>(sp => new BenchPlanCatalog(sp.GetRequiredService<PlanCatalog>())));
            });
        }
    }
}
