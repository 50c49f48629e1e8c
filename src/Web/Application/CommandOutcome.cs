namespace KubeHa.Web.Application;

/// <summary>How a cluster command ended; the API maps each to one status code, the pages to one message.</summary>
public enum CommandOutcome
{
    /// <summary>Done (200, 201, 202 or 204 depending on the action).</summary>
    Done = 0,

    /// <summary>The request is wrong: <see cref="CommandResult{T}.Errors"/> per field (400).</summary>
    Invalid = 1,

    /// <summary>No such cluster or run (404).</summary>
    NotFound = 2,

    /// <summary>Another run of the cluster is active: <see cref="CommandResult{T}.ActiveRunId"/> names it (409).</summary>
    Busy = 3,

    /// <summary>Refused in the current state, the message says why (409).</summary>
    Refused = 4,

    /// <summary>The user lacks the role (403).</summary>
    Forbidden = 5,
}
