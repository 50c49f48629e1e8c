namespace KubeHa.Core.Clusters;

/// <summary>How a request to start, resume or cancel a run ended; the API maps these to status codes.</summary>
public enum RunCommandOutcome
{
    /// <summary>Done: the run was queued, re-queued or asked to stop (202).</summary>
    Accepted = 0,

    /// <summary>No such cluster or run (404).</summary>
    NotFound = 1,

    /// <summary>Another run of the cluster is queued or running (409); <see cref="RunCommandResult.ActiveRunId"/> names it.</summary>
    Conflict = 2,

    /// <summary>The run is in a state that does not allow it, e.g. resuming a succeeded run (409); the message says why.</summary>
    InvalidState = 3,

    /// <summary>The request names something wrong (an empty or foreign host list) (400); <see cref="RunCommandResult.Field"/> names the field.</summary>
    Invalid = 4,

    /// <summary>The request needs a role the caller lacks, e.g. confirming an even etcd member count (Admin) (403).</summary>
    Forbidden = 5,
}
