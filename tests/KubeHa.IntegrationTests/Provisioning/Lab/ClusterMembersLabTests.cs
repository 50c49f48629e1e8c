using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Remote;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using Xunit.Abstractions;

namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>
/// Issue 17 on the lab, through ClusterCatalog's day-2 commands (what POST/DELETE /clusters/{id}/members call): a
/// three-control-plane stacked cluster gains a worker (an add-nodes run for that host alone: the others are not
/// prepared again); removing a control plane is refused while it would make the etcd member count even, then with the
/// cluster's name confirmed the reset removes it — gone from `etcdctl member list` on the members that stay, gone from
/// the API, gone from the membership; removing one of the last two members is refused (quorum).
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ClusterMembersLabTests(ITestOutputHelper output)
{
    private const string Kubectl = "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s";
    private const string MemberList =
        "crictl exec $(crictl ps -q --name etcd) etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt " +
        "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key member list -w simple";

    [Fact]
    public async Task AddWorkerThenRemoveControlPlane_GuardedByQuorum_EtcdMemberAndNodeGone()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = cts.Token;
        await using var lab = await LabProvisioning.UpAsync(4, ct);
        var clusterId = await lab.AddClusterAsync(
            new ClusterSpec { LoadBalancerMode = LoadBalancerMode.NodeLocal, ControlPlaneEndpointPort = 5443 },
            [("node1", NodeRole.ControlPlane), ("node2", NodeRole.ControlPlane), ("node3", NodeRole.ControlPlane)], ct);
        var create = await lab.RunPlanAsync(clusterId, PlanCatalog.Create, null, ct);
        Assert.True(create.Status == RunStatus.Succeeded, await lab.DescribeAsync(create, ct));

        var scheduler = new LedgerScheduler(lab);
        var catalog = new ClusterCatalog(lab.Db.Factory, scheduler, new PlanPreviewer(lab.Db.Factory, new PlanCatalog(null!), TimeProvider.System), TimeProvider.System);

        // node4 is checked first, as an operator does on the Hosts page (day 2 refuses a host KubeHa knows nothing of).
        var ssh = Options.Create(new SshOptions { ConnectTimeout = TimeSpan.FromSeconds(5) });
        await new HostCheckService(lab.Db.Factory, lab.Db.Protector, new SshConnector(ssh, NullLogger<SshConnector>.Instance), new InventoryEvents(), ssh,
            TimeProvider.System, NullLogger<HostCheckService>.Instance).CheckAsync(lab.HostId("node4"), ct);

        // Add node4 as a worker: add-nodes for node4 alone.
        var add = await catalog.AddMembersAsync(clusterId, [new HostRoles(lab.HostId("node4"), new HashSet<NodeRole> { NodeRole.Worker })], "lab-test", ct);
        Assert.True(add.Accepted, $"{add.Outcome}: {add.Message}");
        var addRun = await scheduler.ExecuteAsync(add.RunId!.Value, ct);
        Assert.True(addRun.Status == RunStatus.Succeeded, await lab.DescribeAsync(addRun, ct));
        Assert.Equal(PlanCatalog.AddNodes, addRun.Plan);
        var prepared = addRun.Steps.Single(s => s.Key == "prepare-os").Hosts.Where(h => h.Status == StepStatus.Succeeded).Select(h => h.HostId).ToList();
        Assert.Equal([lab.HostId("node4")], prepared);
        await NodesAsync(["node1", "node2", "node3", "node4"], ct);

        // Removing node3 would leave 2 etcd members (no more failure tolerance than 1 and a larger quorum): refused
        // unless the cluster's name is typed by an Admin.
        var cluster = await lab.ClusterAsync(clusterId, ct);
        var even = await catalog.RemoveMemberAsync(clusterId, lab.HostId("node3"), null, mayConfirm: true, "lab-test", ct);
        output.WriteLine($"remove node3 unconfirmed: {even.Outcome}: {even.Message}");
        Assert.Equal(RunCommandOutcome.InvalidState, even.Outcome);
        Assert.Contains("confirmEvenMembers", even.Message, StringComparison.Ordinal);
        var notAdmin = await catalog.RemoveMemberAsync(clusterId, lab.HostId("node3"), cluster.Name, mayConfirm: false, "lab-test", ct);
        Assert.Equal(RunCommandOutcome.Forbidden, notAdmin.Outcome);
        Assert.Empty(scheduler.Started.Skip(1)); // only the add-nodes run so far

        var remove = await catalog.RemoveMemberAsync(clusterId, lab.HostId("node3"), cluster.Name, mayConfirm: true, "lab-test", ct);
        Assert.True(remove.Accepted, $"{remove.Outcome}: {remove.Message}");
        var resetRun = await scheduler.ExecuteAsync(remove.RunId!.Value, ct);
        Assert.True(resetRun.Status == RunStatus.Succeeded, await lab.DescribeAsync(resetRun, ct));
        Assert.Equal(PlanCatalog.Reset, resetRun.Plan);

        // Independently of the engine: etcd lists node1 and node2 only, on both; the API has no node3; the membership neither.
        foreach (var host in new[] { "node1", "node2" })
        {
            var members = await LabProvisioning.Lab.ExecAsync(host, MemberList, ct);
            Assert.True(members.ExitCode == 0, $"{host}: {members.Stderr}");
            output.WriteLine($"{host}: {members.Stdout}");
            var names = members.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')[2].Trim()).Order().ToList();
            Assert.Equal(["node1", "node2"], names);
        }

        await NodesAsync(["node1", "node2", "node4"], ct);
        var after = await lab.ClusterAsync(clusterId, ct);
        Assert.DoesNotContain(after.Nodes, n => n.HostId == lab.HostId("node3"));

        // Two members left: removing either would lose quorum, confirmed or not, and no run starts.
        var quorum = await catalog.RemoveMemberAsync(clusterId, lab.HostId("node2"), after.Name, mayConfirm: true, "lab-test", ct);
        output.WriteLine($"remove node2 of 2: {quorum.Outcome}: {quorum.Message}");
        Assert.Equal(RunCommandOutcome.InvalidState, quorum.Outcome);
        Assert.Contains("etcd would lose quorum", quorum.Message, StringComparison.Ordinal);
        Assert.Equal(2, scheduler.Started.Count);
    }

    /// <summary>`kubectl get nodes` on node1 until exactly <paramref name="expected"/> are listed, all Ready.</summary>
    private async Task NodesAsync(string[] expected, CancellationToken ct)
    {
        var table = await LabProvisioning.PollAsync(
            c => LabProvisioning.Lab.ExecAsync("node1", $"{Kubectl} get nodes --no-headers", c),
            r => Rows(r.Stdout).Select(n => n[0]).Order().SequenceEqual(expected) && Rows(r.Stdout).All(n => n[1] == "Ready"), TimeSpan.FromSeconds(60), ct);
        output.WriteLine(table.Stdout);
        Assert.Equal(expected, Rows(table.Stdout).Select(n => n[0]).Order());
        Assert.All(Rows(table.Stdout), n => Assert.True(n[1] == "Ready", $"{n[0]} {n[1]}"));
    }

    private static List<string[]> Rows(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length >= 5).ToList();

    /// <summary>Queues the run in the ledger as the real scheduler does; the test executes it on this process.</summary>
    private sealed class LedgerScheduler(LabProvisioning lab) : IRunScheduler
    {
        public List<long> Started { get; } = [];

        public async Task<long> StartAsync(int clusterId, string planKey, IReadOnlyCollection<int>? targetHostIds, string? user, CancellationToken cancellationToken)
        {
            var run = await lab.Db.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(planKey), targetHostIds, user, cancellationToken);
            Started.Add(run.Id);
            return run.Id;
        }

        public async Task<Run> ExecuteAsync(long runId, CancellationToken ct)
        {
            await lab.Executor().ExecuteAsync(runId, "lab-agent", attempt: 1, ct);
            return await lab.LoadRunAsync(runId, ct);
        }

        public Task ResumeAsync(long runId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CancelAsync(long runId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
