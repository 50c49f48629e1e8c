using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>Gathers facts at the start of every attempt: the host check's facts and what provisioning already did.</summary>
public sealed class GatherFactsStep : Step
{
    public override string Key => "gather-facts";

    public override string Title => "Gather facts";

    public override bool RepeatsOnResume => true;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(2);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.Members.ToList();

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var hostOutput = await host.QueryAsync("gather host facts", HostFactsScript.Text, cancellationToken);
        var stateOutput = await host.QueryAsync("gather provisioning state", NodeStateScript.Text, cancellationToken);
        if (host.IsDryRun)
        {
            host.Context.SetFacts(host.Host.HostId, host.Host.Facts, NodeState.Fresh);
            return;
        }

        var facts = HostFactsParser.Parse(hostOutput, passwordlessSudo: true, host.Context.Time.GetUtcNow());
        if (!NodeNames.TryFromHostname(facts.Hostname, out _, out var error))
        {
            throw new StepFailedException(host.Host.Name, "gather host facts", null, string.Empty, $"{host.Host.Name}: {error}");
        }

        var state = NodeStateScript.Parse(stateOutput);
        host.Context.SetFacts(host.Host.HostId, facts, state);
        host.Note($"{facts.Hostname}: {facts.OsName}, swap {(state.SwapActive ? "on" : "off")}, kubeadm {state.KubeadmVersion ?? "absent"}, " +
            $"{(state.HasAdminConf ? "admin.conf present" : state.HasKubeletConf ? "joined" : "not in a cluster")}");
    }
}
