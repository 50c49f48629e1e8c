using System.Collections.Concurrent;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Remote;

namespace KubeHa.Bench;

/// <summary>
/// Wraps the real SSH shell factory: counts the connections a run opens and keeps, in memory only, every script a run
/// sends to each host in order (with its stdin), so the Ansible replay runs exactly the same commands. Recording is off
/// unless <see cref="Recording"/> is set; it never writes anything anywhere.
/// </summary>
public sealed class RecordingShellFactory(IHostShellFactory inner) : IHostShellFactory
{
    private readonly ConcurrentDictionary<int, List<RecordedCommand>> _commands = new();
    private long _opened;

    public bool Recording { get; set; }

    public long Opened => Interlocked.Read(ref _opened);

    public IReadOnlyDictionary<int, List<RecordedCommand>> Commands => _commands;

    public void Reset()
    {
        _commands.Clear();
        Interlocked.Exchange(ref _opened, 0);
    }

    public async Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken)
    {
        var shell = await inner.OpenAsync(host, cancellationToken);
        Interlocked.Increment(ref _opened);
        return Recording ? new Shell(shell, _commands.GetOrAdd(host.HostId, _ => [])) : shell;
    }

    private sealed class Shell(IHostShell inner, List<RecordedCommand> log) : IHostShell
    {
        public bool IsDryRun => inner.IsDryRun;

        public async Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken)
        {
            var command = Add(new RecordedCommand(script.Text, standardInput, false));
            var result = await inner.RunAsRootAsync(script, standardInput, onLine, cancellationToken);
            command.ExitCode = result.ExitCode;
            return result;
        }

        public async Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken)
        {
            var command = Add(new RecordedCommand(script.Text, null, true));
            var result = await inner.ReadAsRootAsync(script, cancellationToken);
            command.ExitCode = result.ExitCode;
            return result;
        }

        private RecordedCommand Add(RecordedCommand command)
        {
            lock (log)
            {
                log.Add(command);
            }

            return command;
        }

        public void AddKnownSecrets(IEnumerable<string> secrets) => inner.AddKnownSecrets(secrets);

        public string Mask(string text) => inner.Mask(text);

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>One script a run sent to a host, and its exit code once it returned.</summary>
public sealed record RecordedCommand(string Script, string? StandardInput, bool IsRead)
{
    public int? ExitCode { get; set; }
}
