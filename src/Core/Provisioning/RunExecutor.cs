using System.Runtime.CompilerServices;
using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Provisioning.Steps;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Core.Provisioning;

/// <summary>
/// Executes one run: claims the cluster (compare-and-swap), runs the plan's steps in order with bounded fan-out,
/// skips host-steps the ledger records as succeeded (resume), retries transient SSH failures a bounded number of
/// times, stops at the first failure, cancels within the current command, records everything, releases the claim.
/// </summary>
public sealed partial class RunExecutor(
    RunLedger ledger,
    IPlanCatalog plans,
    IHostShellFactory shells,
    IClusterSecretsStore secrets,
    RunCancellations cancellations,
    IOptions<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    /// <param name="runId">The run.</param>
    /// <param name="agent">This agent's name, recorded as the run's owner.</param>
    /// <param name="attempt">The attempt this job was enqueued for (see <see cref="RunLedger.TryClaimAsync"/>).</param>
    /// <param name="cancellationToken">Cancelled when the agent shuts down: the run ends Interrupted (resumable), not Cancelled.</param>
    /// <returns>False when the run could not be claimed (another run holds the cluster, it is finished, or it is not at that attempt).</returns>
    public async Task<bool> ExecuteAsync(long runId, string agent, int attempt, CancellationToken cancellationToken)
    {
        if (!await ledger.TryClaimAsync(runId, agent, attempt, cancellationToken))
        {
            LogNotClaimed(logger, runId);
            return false;
        }

        using var cts = cancellations.Register(runId, cancellationToken);
        var status = RunStatus.Failed;
        string? error = null;
        var run = await ledger.LoadRunAsync(runId, CancellationToken.None);

        var owner = new RunOwner(agent, run.Attempt);
        var lostOwnership = new StrongBox<bool>();

        var plan = plans.Get(run.Plan);
        await using var log = await ledger.OpenLogAsync(runId, logger, CancellationToken.None);
        var pool = new HostSessionPool(shells, log);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ClusterId"] = run.ClusterId, ["RunId"] = runId, ["Plan"] = run.Plan });
        var poll = PollControlAsync(runId, owner, lostOwnership, cts);
        try
        {
            var context = await BuildContextAsync(run, plan, pool, cts.Token);
            log.Write(null, null, LogStream.System, $"{plan.Title}: attempt {run.Attempt}, {context.Members.Count} host(s)");
            for (var ordinal = 0; ordinal < plan.Steps.Count; ordinal++)
            {
                await RunStepAsync(run, ordinal, plan.Steps[ordinal], context, pool, lostOwnership, cts.Token);
            }

            status = RunStatus.Succeeded;
            await CompleteAsync(run, plan, context, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested && cancellationToken.IsCancellationRequested && !lostOwnership.Value)
        {
            status = RunStatus.Interrupted;
            error = InterruptedRunRecovery.Reason;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            status = RunStatus.Cancelled;
            error = "Cancelled by an operator.";
        }
        catch (RunStepException ex)
        {
            error = ex.Message;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(logger, runId, ex);
            error = $"The run failed unexpectedly ({ex.GetType().Name}): {pool.Mask(ex.Message)}";
        }
        finally
        {
            await cts.CancelAsync();
            await poll;
            cancellations.Unregister(runId);
            pool.Dispose();
        }

        if (lostOwnership.Value)
        {
            // Another agent took the run over (this one's heartbeat went stale): it owns the ledger now.
            LogLostOwnership(logger, runId, agent);
            return true;
        }

        log.Write(null, null, LogStream.System, status == RunStatus.Succeeded ? "run succeeded" : $"run {status.ToString().ToLowerInvariant()}: {error}");
        await log.FlushAsync(CancellationToken.None);
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clusterStatus = status switch
        {
            RunStatus.Succeeded when plan.RemovesHosts && run.TargetHostIds is null => ClusterStatus.Draft,
            RunStatus.Succeeded => ClusterStatus.Healthy,
            RunStatus.Failed => ClusterStatus.Failed,
            _ => (ClusterStatus?)null,
        };
        if (!await ledger.FinishRunAsync(runId, owner, status, error, clusterStatus, bounded.Token))
        {
            LogLostOwnership(logger, runId, agent);
        }

        return true;
    }

    private async Task<PlanContext> BuildContextAsync(Run run, Plan plan, HostSessionPool pool, CancellationToken cancellationToken)
    {
        var members = await ledger.LoadMembersAsync(run.ClusterId, cancellationToken);

        // Refused before any host is touched: a spec that validation rejects (2 stacked control planes, overlapping
        // subnets, ...) never reaches SSH, whoever queued the run.
        if (!plan.RemovesHosts && ClusterSpecValidator.Validate(run.Spec, members) is { IsValid: false } invalid)
        {
            throw new RunStepException("The cluster spec is invalid: " + string.Join(" ", invalid.Errors.Select(e => e.Message)));
        }

        IReadOnlySet<int> removing = !plan.RemovesHosts ? new HashSet<int>()
            : (run.TargetHostIds ?? members.Select(m => m.HostId).ToList()).ToHashSet();
        // The hosts an add-nodes run was started for (POST members): only they are prepared and joined.
        IReadOnlySet<int>? adding = plan.RemovesHosts ? null : run.TargetHostIds?.ToHashSet();
        var join = await secrets.LoadAsync(run.ClusterId, cancellationToken);
        PlanContext? context = null;
        context = new PlanContext(run.ClusterId, run.Id, run.Spec, members, removing, join, secrets,
            (hostId, ct) => pool.GetAsync(context!.Member(hostId), context, ct), time, options.Value, adding);
        return context;
    }

    private async Task RunStepAsync(Run run, int ordinal, Step step, PlanContext context, HostSessionPool pool, StrongBox<bool> lostOwnership, CancellationToken cancellationToken)
    {
        var recorded = run.Steps.Single(s => s.Ordinal == ordinal);
        if (recorded.Status is StepStatus.Succeeded or StepStatus.Skipped && !step.RepeatsOnResume)
        {
            return;
        }

        context.CurrentStepKey = step.Key;
        var hosts = step.SelectHosts(context);
        if (hosts.Count == 0)
        {
            await ledger.SetStepStatusAsync(run.Id, ordinal, step.Key, StepStatus.Skipped, cancellationToken);
            return;
        }

        await ledger.SetStepStatusAsync(run.Id, ordinal, step.Key, StepStatus.Running, cancellationToken);
        var done = await ledger.HostStatusesAsync(run.Id, ordinal, cancellationToken);
        var todo = hosts.Where(h => step.RepeatsOnResume || !done.TryGetValue(h.HostId, out var s) || s is not (StepStatus.Succeeded or StepStatus.Skipped)).ToList();
        var failures = new List<HostStepFailure>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = step.Fanout == Fanout.OneAtATime ? 1 : context.Options.MaxParallelHosts;
        try
        {
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = stop.Token }, async (host, _) =>
            {
                StepStatus? previous = done.TryGetValue(host.HostId, out var earlier) ? earlier : null;
                var failure = await RunHostStepAsync(run.Id, ordinal, step, context, pool, host, previous, lostOwnership, cancellationToken);
                if (failure is not null)
                {
                    lock (failures)
                    {
                        failures.Add(failure);
                    }

                    await stop.CancelAsync();
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A host failed: hosts not started yet are left Pending.
        }
        catch (OperationCanceledException) when (!lostOwnership.Value)
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await ledger.SetStepStatusAsync(run.Id, ordinal, step.Key, StepStatus.Cancelled, bounded.Token);
            throw;
        }

        if (failures.Count > 0)
        {
            await ledger.SetStepStatusAsync(run.Id, ordinal, step.Key, StepStatus.Failed, CancellationToken.None);
            throw new RunStepException($"Step '{step.Title}' ({step.Key}) failed: {string.Join("\n", failures.Select(f => f.Error))}", failures);
        }

        await ledger.SetStepStatusAsync(run.Id, ordinal, step.Key, StepStatus.Succeeded, cancellationToken);
    }

    /// <summary>
    /// Runs one step on one host. A step that <see cref="Step.MarksCompletion"/> (kubeadm init, join) is done only when
    /// its marker is on the host: without it, a host an earlier attempt started (killed mid-init, or the connection
    /// broke mid-join) is repaired first (the step's clean-up: kubeadm reset), then the step runs again. The files
    /// kubeadm leaves cannot tell half-done from done, so facts alone never skip such a host then.
    /// </summary>
    /// <param name="previous">What an earlier attempt of this run recorded for this host-step (Running, Cancelled, Failed), or null.</param>
    /// <returns>Null on success or skip; the failure (host, exit code, error with command and last lines) otherwise.</returns>
    private async Task<HostStepFailure?> RunHostStepAsync(long runId, int ordinal, Step step, PlanContext context, HostSessionPool pool, ClusterMember host, StepStatus? previous, StrongBox<bool> lostOwnership, CancellationToken cancellationToken)
    {
        var repair = false;
        if (step.MarksCompletion && context.HasCompleted(host, step.Key))
        {
            await ledger.RecordHostStepAsync(runId, ordinal, step.Key, host.HostId, StepStatus.Succeeded, 0, null, cancellationToken);
            pool.Note(host, context, "already done (completion marker on the host)");
            return null;
        }

        if (step.MarksCompletion && previous is not null)
        {
            repair = true; // started by an earlier attempt and not marked done: half-done, whatever its files say
        }
        else if (!step.ShouldRun(context, host))
        {
            await ledger.RecordHostStepAsync(runId, ordinal, step.Key, host.HostId, StepStatus.Skipped, null, "Already done (facts).", cancellationToken);
            return null;
        }

        for (var retry = 0; ; retry++)
        {
            await ledger.RecordHostStepAsync(runId, ordinal, step.Key, host.HostId, StepStatus.Running, null, null, cancellationToken);
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(step.Timeout);
            HostSession? session = null;
            string error;
            int? exitCode = null;
            try
            {
                session = await pool.GetAsync(host, context, budget.Token);
                if (repair)
                {
                    if (retry > 0 && (await session.TryRunAsync(StepMarkers.Exists(context.ClusterId, step.Key), budget.Token)).Succeeded)
                    {
                        // The broken connection hid a success: the marker was written.
                        session.Note("already done (completion marker on the host)");
                        await ledger.RecordHostStepAsync(runId, ordinal, step.Key, host.HostId, StepStatus.Succeeded, 0, null, cancellationToken);
                        return null;
                    }

                    session.Note(previous is not null && retry == 0
                        ? $"left unfinished by an earlier attempt ({previous.Value.ToString().ToLowerInvariant()}): cleaning up before running it again"
                        : "the connection broke while this step ran: cleaning up before running it again");
                    await step.CleanUpAsync(session, budget.Token);
                    repair = false;
                }

                await step.RunAsync(session, budget.Token);
                if (step.MarksCompletion)
                {
                    await session.RunAsync(StepMarkers.Write(context.ClusterId, step.Key), budget.Token);
                }

                await ledger.RecordHostStepAsync(runId, ordinal, step.Key, host.HostId, StepStatus.Succeeded, 0, null, cancellationToken);
                return null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && lostOwnership.Value)
            {
                // Another agent owns the run now and may be resuming on this very host: no clean-up (it would kubeadm
                // reset under the new owner's feet), no ledger write (the rows are the new owner's).
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CleanUpAsync(step, session, context, lostOwnership);
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await ledger.RecordHostStepAsync(runId, ordinal, step.Key, host.HostId, StepStatus.Cancelled, null, "Cancelled.", bounded.Token);
                throw;
            }
            catch (OperationCanceledException)
            {
                error = $"{host.Name}: timed out after {step.Timeout.TotalMinutes:0.#} min.";
            }
            catch (HostCheckException ex) when (IsTransient(ex.Kind) && retry < context.Options.TransientRetries)
            {
                pool.Drop(host.HostId);
                var delay = context.Options.RetryDelay * Math.Pow(2, retry);
                pool.Note(host, context, $"transient SSH failure ({ex.Kind}): retrying in {delay.TotalSeconds:0.#} s");
                // The command may have run half-way on the host: a step that marks completion is checked and cleaned up first.
                repair = step.MarksCompletion;
                await Task.Delay(delay, time, cancellationToken);
                continue;
            }
            catch (HostCheckException ex)
            {
                error = $"{host.Name}: {ex.Message}";
            }
            catch (StepFailedException ex)
            {
                error = ex.Message;
                exitCode = ex.ExitCode;
            }

            error = pool.Mask(error);
            await CleanUpAsync(step, session, context, lostOwnership);
            var failure = new HostStepFailure(host.HostId, host.Name, exitCode, error);
            if (lostOwnership.Value)
            {
                return failure;
            }

            await ledger.RecordHostStepAsync(runId, ordinal, step.Key, host.HostId, StepStatus.Failed, exitCode, error, CancellationToken.None);
            return failure;
        }
    }

    private static async Task CleanUpAsync(Step step, HostSession? session, PlanContext context, StrongBox<bool> lostOwnership)
    {
        if (session is null || lostOwnership.Value)
        {
            return;
        }

        using var bounded = new CancellationTokenSource(context.Options.CleanUpTimeout);
        try
        {
            await step.CleanUpAsync(session, bounded.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            session.Note($"clean-up failed: {ex.GetType().Name}");
        }
    }

    private async Task CompleteAsync(Run run, Plan plan, PlanContext context, CancellationToken cancellationToken)
    {
        if (!plan.RemovesHosts)
        {
            return;
        }

        await ledger.RemoveNodesAsync(run.ClusterId, context.Removing, cancellationToken);
        if (context.Remaining.All(m => !m.Is(NodeRole.ControlPlane)))
        {
            await context.ClearSecretsAsync(cancellationToken);
        }
    }

    private async Task PollControlAsync(long runId, RunOwner owner, StrongBox<bool> lostOwnership, CancellationTokenSource cts)
    {
        var confirmed = time.GetUtcNow();
        try
        {
            while (!cts.IsCancellationRequested)
            {
                await Task.Delay(options.Value.CancelPollInterval, time, cts.Token);
                RunControl control;
                try
                {
                    control = await ledger.ReadControlAsync(runId, owner, cts.Token);
                    confirmed = time.GetUtcNow();
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    // The ledger is unreachable from here. Past OwnershipTimeout another agent may be taking the run
                    // over (its heartbeat check sees this agent silent): stop touching the hosts.
                    LogControlUnreadable(logger, runId, ex.GetType().Name);
                    control = time.GetUtcNow() - confirmed > options.Value.OwnershipTimeout ? RunControl.LostOwnership : RunControl.Continue;
                }

                if (control == RunControl.LostOwnership)
                {
                    lostOwnership.Value = true;
                }

                if (control != RunControl.Continue)
                {
                    await cts.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or was cancelled.
        }
    }

    private static bool IsTransient(HostCheckErrorKind kind) =>
        kind is HostCheckErrorKind.Unreachable or HostCheckErrorKind.ConnectionRefused or HostCheckErrorKind.Timeout;

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} not started: another run holds its cluster, or it is finished")]
    private static partial void LogNotClaimed(ILogger logger, long runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was taken over by another agent while {Agent} executed it: {Agent} stopped and wrote no outcome")]
    private static partial void LogLostOwnership(ILogger logger, long runId, string agent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: could not read its state from the ledger ({Error})")]
    private static partial void LogControlUnreadable(ILogger logger, long runId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, long runId, Exception exception);
}
