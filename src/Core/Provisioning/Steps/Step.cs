using KubeHa.Core.Clusters;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// One small, idempotent phase of a plan (k0sctl's phases, persisted). It says which hosts it touches, whether each
/// needs it at all (from facts gathered this attempt), and what it does on each host; re-running converges.
/// </summary>
public abstract class Step
{
    /// <summary>Stable kebab-case key stored in the ledger: "join-control-planes".</summary>
    public abstract string Key { get; }

    /// <summary>Shown to operators: "Join control planes".</summary>
    public abstract string Title { get; }

    public virtual Fanout Fanout => Fanout.Parallel;

    /// <summary>Budget of the step on one host (its own token; the run's cancellation still applies).</summary>
    public virtual TimeSpan Timeout => TimeSpan.FromMinutes(10);

    /// <summary>
    /// True for steps that establish this attempt's view (connect, gather facts, preflight, verify): they run on every
    /// attempt even when the ledger says they succeeded before.
    /// </summary>
    public virtual bool RepeatsOnResume => false;

    /// <summary>
    /// True for steps whose files cannot tell done from half-done (kubeadm init and join write admin.conf and
    /// kubelet.conf early): the executor writes a completion marker on the host after <see cref="RunAsync"/>
    /// succeeded (<see cref="StepMarkers"/>), and repairs (<see cref="CleanUpAsync"/>, then again) a host an earlier
    /// attempt or a broken connection left without one.
    /// </summary>
    public virtual bool MarksCompletion => false;

    /// <summary>The hosts this step concerns, in order; empty: the step is skipped.</summary>
    public abstract IReadOnlyList<ClusterMember> SelectHosts(PlanContext context);

    /// <summary>False when the facts show the work is already done on this host (recorded Skipped).</summary>
    public virtual bool ShouldRun(PlanContext context, ClusterMember host) => true;

    public abstract Task RunAsync(HostSession host, CancellationToken cancellationToken);

    /// <summary>Undo partial work after a failure or cancellation; runs under its own bounded token.</summary>
    public virtual Task CleanUpAsync(HostSession host, CancellationToken cancellationToken) => Task.CompletedTask;
}
