using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeHa.Web.Tests.Infrastructure;

/// <summary>
/// The real KubeHa.Web app in-process, on its own SQLite file and key ring in a temporary data directory.
/// Log messages are captured so tests can check what reached the log.
/// </summary>
public class KubeHaAppFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct-horse-battery-staple";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDirectory;

    public KubeHaAppFactory()
        : this(null)
    {
    }

    /// <param name="dataDirectory">Null: a fresh temporary directory, deleted on dispose.</param>
    /// <param name="adminPassword">The first-start admin password; null lets the app generate one.</param>
    /// <param name="settings">More configuration.</param>
    public KubeHaAppFactory(string? dataDirectory, string? adminPassword = AdminPassword, IDictionary<string, string?>? settings = null)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("kubeha-web-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["KubeHa:DataDirectory"] = DataDirectory,
            ["KubeHa:Admin:Password"] = adminPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    private readonly SemaphoreSlim _adminClientLock = new(1, 1);
    private HttpClient? _adminClient;

    /// <summary>One shared client signed in as the administrator (do not dispose it).</summary>
    public async Task<HttpClient> AdminClientAsync()
    {
        await _adminClientLock.WaitAsync();
        try
        {
            return _adminClient ??= await SignedInClientAsync();
        }
        finally
        {
            _adminClientLock.Release();
        }
    }

    public ConcurrentQueue<string> LogMessages { get; } = new();

    /// <summary>More host configuration for one test (e.g. a startup filter), applied after the settings.</summary>
    public Action<IWebHostBuilder>? ConfigureHost { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads some settings (KubeHa:Agent:Embedded) while it
        // composes the app, before configuration added through the factory's callbacks is visible.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(l => l.AddProvider(new CapturingLoggerProvider(LogMessages)));
        ConfigureHost?.Invoke(builder);
    }

    /// <summary>A client that follows no redirects and keeps cookies, signed in as the given user.</summary>
    public async Task<HttpClient> SignedInClientAsync(string userName = "admin", string password = AdminPassword)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await SignIn.PostAsync(client, userName, password);
        if (response.Headers.Location?.OriginalString.Contains("error", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"Sign-in as {userName} failed: {response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _adminClient?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_ownsDirectory && Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
    }

    public T Service<T>()
        where T : notnull
        => Services.GetRequiredService<T>();

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(sink);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => sink.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}
