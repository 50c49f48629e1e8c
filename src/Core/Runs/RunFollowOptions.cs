namespace KubeHa.Core.Runs;

/// <summary>Where a <see cref="RunFollower"/> starts and when it ends.</summary>
public sealed record RunFollowOptions
{
    /// <summary>How long an active run may stay silent before the ledger is read again.</summary>
    public static readonly TimeSpan DefaultIdlePoll = TimeSpan.FromSeconds(2);

    /// <summary>Lines with this Seq or lower are not yielded (a client resuming after the last line it has).</summary>
    public long AfterSeq { get; init; }

    /// <summary>Only the last this many lines of the ledger (then everything newer); null: every line after <see cref="AfterSeq"/>.</summary>
    public int? LastLines { get; init; }

    /// <summary>False: the snapshot and the ledger's lines only, no live events.</summary>
    public bool Live { get; init; } = true;

    /// <summary>
    /// True: the sequence ends once the run is no longer queued or running. False: it goes on (a page stays open while
    /// a failed run is resumed: the same run, a new attempt).
    /// </summary>
    public bool EndWithRun { get; init; } = true;

    public TimeSpan IdlePoll { get; init; } = DefaultIdlePoll;
}
