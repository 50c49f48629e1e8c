using System.Collections.Concurrent;
using KubeHa.Core.Clusters;
using KubeHa.Core.Remote;
using KubeHa.Core.Security;

namespace KubeHa.Core.Provisioning;

/// <summary>One session per host per run, connected on first use, dropped and reconnected after a transient failure.</summary>
internal sealed class HostSessionPool(IHostShellFactory shells, IRunLogSink sink) : IDisposable
{
    private readonly ConcurrentDictionary<int, Lazy<Task<HostSession>>> _sessions = new();
    private readonly ConcurrentBag<string> _secrets = [];

    public Task<HostSession> GetAsync(ClusterMember host, PlanContext context, CancellationToken cancellationToken)
    {
        var lazy = _sessions.GetOrAdd(host.HostId, _ => new Lazy<Task<HostSession>>(async () =>
        {
            var shell = await shells.OpenAsync(host, cancellationToken);
            return new HostSession(host, context, shell, sink);
        }));
        return WaitAsync(host.HostId, lazy, context);
    }

    private async Task<HostSession> WaitAsync(int hostId, Lazy<Task<HostSession>> lazy, PlanContext context)
    {
        try
        {
            var session = await lazy.Value;
            foreach (var secret in context.Join.Secrets)
            {
                _secrets.Add(secret);
            }

            return session;
        }
        catch
        {
            _sessions.TryRemove(new KeyValuePair<int, Lazy<Task<HostSession>>>(hostId, lazy));
            throw;
        }
    }

    public void Drop(int hostId)
    {
        if (_sessions.TryRemove(hostId, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
        {
            lazy.Value.Result.Dispose();
        }
    }

    public void Note(ClusterMember host, PlanContext context, string text) =>
        sink.Write(context.CurrentStepKey, host.HostId, Runs.LogStream.System, text);

    /// <summary>Masks every join secret seen in this run (for error texts built outside a session).</summary>
    public string Mask(string text) => new KnownSecretMasker(_secrets.ToArray()).Apply(text);

    public void Dispose()
    {
        foreach (var lazy in _sessions.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            lazy.Value.Result.Dispose();
        }

        _sessions.Clear();
    }
}
