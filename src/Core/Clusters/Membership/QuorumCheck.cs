namespace KubeHa.Core.Clusters.Membership;

/// <summary>The verdict on removing one host from etcd, with the arithmetic an operator reads.</summary>
/// <param name="Verdict">Safe, even count (Admin may confirm) or loss of quorum (never).</param>
/// <param name="Reason">Null when safe; else one sentence with the member counts, quorum and tolerated failures.</param>
public sealed record QuorumCheck(QuorumVerdict Verdict, string? Reason);
