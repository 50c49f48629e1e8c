using KubeHa.Core.Clusters;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using KubeHa.IntegrationTests.Provisioning;
using KubeHa.Testing.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>An agent cut off from the database stops its run's commands before the others take the run over.</summary>
[Trait("Category", "Integration")]
public sealed class SelfFencingTests
{
    [Fact]
    public async Task Execute_DatabaseGoneMidCommand_CommandCancelledWithinOwnershipTimeout()
    {
        var server = new PostgreSqlServer(); // its own server: this test stops it
        await server.InitializeAsync();
        try
        {
            var catalog = await PostgreSqlCatalog.CreateAsync(server);
            var clusterId = await catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles);
            var run = await catalog.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "tester", default);
            var shells = new HangingShellFactory("kubeadm init");
            var executor = new RunExecutor(
                catalog.Ledger,
                new PlanCatalog(new NoNodesApi()),
                shells,
                new ClusterSecretsStore(catalog.Factory, new LedgerDatabase.ReversibleProtector()),
                new RunCancellations(),
                Options.Create(new ProvisioningOptions { RetryDelay = TimeSpan.Zero, CancelPollInterval = TimeSpan.FromMilliseconds(200), OwnershipTimeout = TimeSpan.FromSeconds(1) }),
                TimeProvider.System,
                NullLogger<RunExecutor>.Instance);

            var execution = Task.Run(() => executor.ExecuteAsync(run.Id, "agent-cut-off", 1, default));
            await shells.Hanging.WaitAsync(TimeSpan.FromSeconds(60));
            await server.StopAsync(); // the database is gone for this agent

            await shells.Cancelled.WaitAsync(TimeSpan.FromSeconds(60));
            var outcome = await Record.ExceptionAsync(() => execution.WaitAsync(TimeSpan.FromSeconds(120)));
            Assert.IsNotType<TimeoutException>(outcome);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Dry-run hosts, except that the first command starting with the prefix hangs until cancelled.</summary>
    private sealed class HangingShellFactory(string prefix) : IHostShellFactory
    {
        private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Hanging => _hanging.Task;

        public Task Cancelled => _cancelled.Task;

        public Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken) =>
            Task.FromResult<IHostShell>(new Shell(this, new DryRunHostShell()));

        private sealed class Shell(HangingShellFactory owner, DryRunHostShell inner) : IHostShell
        {
            public bool IsDryRun => true;

            public async Task<RemoteCommandResult> RunAsRootAsync(ShellScript script, string? standardInput, Action<RemoteOutputLine>? onLine, CancellationToken cancellationToken)
            {
                if (script.Text.StartsWith(owner._prefix, StringComparison.Ordinal) && owner._hanging.TrySetResult())
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        owner._cancelled.TrySetResult();
                        throw;
                    }
                }

                return await inner.RunAsRootAsync(script, standardInput, onLine, cancellationToken);
            }

            public Task<RemoteCommandResult> ReadAsRootAsync(ShellScript script, CancellationToken cancellationToken) => inner.ReadAsRootAsync(script, cancellationToken);

            public void AddKnownSecrets(IEnumerable<string> secrets) => inner.AddKnownSecrets(secrets);

            public string Mask(string text) => inner.Mask(text);

            public void Dispose() => inner.Dispose();
        }

        private readonly string _prefix = prefix;
    }

    private sealed class NoNodesApi : IClusterApi
    {
        public Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<NodeReadiness>>([]);
    }
}
