using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning.Steps;

namespace KubeHa.Core.Provisioning.Plans;

/// <summary>
/// The plans, written out literally like k0sctl's apply.go: read top to bottom, that is what a run does. Steps decide
/// per host from facts, so add-nodes reuses create's steps and touches only hosts not yet in the cluster (with
/// hostIds: only those). Day-2 plans reload load balancers one at a time: the endpoint always has a HAProxy and a VIP.
/// </summary>
public sealed class PlanCatalog(IClusterApi api) : IPlanCatalog
{
    public const string Create = "create";
    public const string AddNodes = "add-nodes";
    public const string Reset = "reset";
    public const string RenewCertificates = "renew-certificates";

    /// <summary>Every plan a run may be started with, in the order the API documents them.</summary>
    public static IReadOnlyList<string> Keys { get; } = [Create, AddNodes, Reset, RenewCertificates];

    public Plan Get(string key) => key switch
    {
        Create => new Plan(Create, "Create cluster",
        [
            new ConnectHostsStep(),
            new GatherFactsStep(),
            new CheckPreflightStep(),
            new PrepareOsStep(),
            new InstallContainerRuntimeStep(),
            new InstallKubePackagesStep(),
            new ConfigureLoadBalancersStep(),
            new ConfigureKeepalivedStep(),
            new PullImagesStep(),
            new GenerateEtcdCertificatesStep(),
            new StartEtcdMembersStep(),
            new DistributeEtcdClientCertificatesStep(),
            new InitFirstControlPlaneStep(),
            new InstallCniStep(),
            new JoinControlPlanesStep(),
            new JoinWorkersStep(),
            new FetchKubeconfigStep(),
            new VerifyClusterStep(api),
        ]),
        AddNodes => new Plan(AddNodes, "Add nodes",
        [
            new ConnectHostsStep(),
            new GatherFactsStep(),
            new CheckPreflightStep(),
            new PrepareOsStep(),
            new InstallContainerRuntimeStep(),
            new InstallKubePackagesStep(),
            new ConfigureLoadBalancersStep(Fanout.OneAtATime),
            new ConfigureKeepalivedStep(Fanout.OneAtATime),
            new PullImagesStep(),
            new DistributeEtcdClientCertificatesStep(),
            new JoinControlPlanesStep(),
            new JoinWorkersStep(),
            new FetchKubeconfigStep(),
            new VerifyClusterStep(api),
        ]),
        Reset => new Plan(Reset, "Reset nodes",
        [
            new ConnectHostsStep(),
            new GatherFactsStep(),
            new DrainNodesStep(),
            new ResetNodesStep(),
            new RemoveEtcdMembersStep(),
            new ConfigureLoadBalancersStep(Fanout.OneAtATime),
            new ConfigureKeepalivedStep(Fanout.OneAtATime),
        ], RemovesHosts: true),
        RenewCertificates => new Plan(RenewCertificates, "Renew certificates",
        [
            new ConnectHostsStep(),
            new GatherFactsStep(),
            new RenewCertificatesStep(),
            new FetchKubeconfigStep(),
            new VerifyClusterStep(api),
        ]),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown plan."),
    };
}
