namespace KubeHa.Core.Runs;

public enum RunStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,

    /// <summary>The process running it stopped (crash, restart); resumable.</summary>
    Interrupted = 5,
}

public enum StepStatus
{
    Pending = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Skipped = 4,
    Cancelled = 5,
}

public enum LogStream
{
    Stdout = 0,
    Stderr = 1,

    /// <summary>Lines KubeHa itself writes ("would run: ...", "connected", step banners).</summary>
    System = 2,
}
