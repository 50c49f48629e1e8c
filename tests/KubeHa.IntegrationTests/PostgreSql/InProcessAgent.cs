using System.Collections.Concurrent;
using Hangfire;
using KubeHa.Agent;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Remote;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>
/// A KubeHa agent composed exactly as <c>src/Agent</c> composes it (AddKubeHaAgent: Hangfire server on the shared
/// PostgreSQL storage, heartbeat, takeover watchdog), in this process, with hosts answered by the dry-run shell
/// through <see cref="CommandGate"/>. <see cref="CrashAsync"/> stands in for kill -9: its clock freezes (no more
/// heartbeats, no more ledger polling), its Hangfire server stops fetching, and its running job stays wedged.
/// </summary>
internal sealed class InProcessAgent : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly FreezableTime _time;
    private bool _crashed;

    private InProcessAgent(string name, IHost host, FreezableTime time)
    {
        Name = name;
        _host = host;
        _time = time;
    }

    public string Name { get; }

    public KubeHa.Testing.Logging.CollectingLoggerProvider Logs { get; private init; } = null!;

    public IServiceProvider Services => _host.Services;

    public static async Task<InProcessAgent> StartAsync(string name, string[] queues, string connectionString, string dataDirectory, CommandGate gate)
    {
        var settings = new Dictionary<string, string?>
        {
            ["KubeHa:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:KubeHa"] = connectionString,
            ["KubeHa:DataDirectory"] = dataDirectory,
            ["KubeHa:Agent:Name"] = name,
            ["KubeHa:Agent:WorkerCount"] = "4",
            ["KubeHa:Agents:HeartbeatInterval"] = "00:00:00.500",
            ["KubeHa:Agents:StaleAfter"] = "00:00:05",
            ["KubeHa:Provisioning:CancelPollInterval"] = "00:00:00.200",
            ["KubeHa:Provisioning:RetryDelay"] = "00:00:00",
            ["KubeHa:Provisioning:VerifyTimeout"] = "00:00:05",
        };
        for (var i = 0; i < queues.Length; i++)
        {
            settings[$"KubeHa:Agent:Queues:{i}"] = queues[i];
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        var time = new FreezableTime();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddKubeHaAgent();
        var logs = new KubeHa.Testing.Logging.CollectingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IHostShellFactory>(new DryRunHostShellFactory((host, script) => gate.Pass(name, host.Name, script)));
        builder.Services.AddSingleton<IClusterApi, NoNodesApi>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var host = builder.Build();
        await host.Services.InitializeKubeHaDatabaseAsync();
        await host.StartAsync();
        return new InProcessAgent(name, host, time) { Logs = logs };
    }

    /// <summary>As kill -9: no heartbeat, no polling, no new jobs; the job it was running never finishes.</summary>
    public async Task CrashAsync()
    {
        _crashed = true;
        _time.Freeze();
        var server = _host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal));
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await server.StopAsync(quick.Token);
        }
        catch (OperationCanceledException)
        {
            // The wedged job does not end: as with a killed process.
        }
    }

    public JobStorage Storage => _host.Services.GetRequiredService<JobStorage>();

    public async ValueTask DisposeAsync()
    {
        if (!_crashed)
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _host.StopAsync(bounded.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _host.Dispose();
    }

    private sealed class NoNodesApi : IClusterApi
    {
        public Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<NodeReadiness>>([]);
    }
}

/// <summary>
/// What the dry-run hosts of every in-process agent answer, and a journal of every command (agent, host, script).
/// The first agent to reach a command starting with <see cref="BlockPrefix"/> is held there until <see cref="Open"/>
/// (or forever, when it crashed): the run is mid-way, with earlier steps finished.
/// </summary>
internal sealed class CommandGate
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly TaskCompletionSource<string> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _heldAgent;

    public string BlockPrefix { get; init; } = "kubeadm join";

    public ConcurrentQueue<(string Agent, string Host, string Script)> Journal { get; } = new();

    /// <summary>Completes with the held agent's name when one reaches the gate.</summary>
    public Task<string> Reached => _reached.Task;

    public void Open() => _open.Set();

    public RemoteCommandResult? Pass(string agent, string host, string script)
    {
        Journal.Enqueue((agent, host, script));
        if (script.StartsWith(BlockPrefix, StringComparison.Ordinal) && !_open.IsSet)
        {
            if (Interlocked.CompareExchange(ref _heldAgent, agent, null) is null || _heldAgent == agent)
            {
                _reached.TrySetResult(agent);
                _open.Wait();
            }
        }

        return null;
    }

    public int Count(string prefix, string? agent = null) =>
        Journal.Count(j => j.Script.StartsWith(prefix, StringComparison.Ordinal) && (agent is null || j.Agent == agent));
}
