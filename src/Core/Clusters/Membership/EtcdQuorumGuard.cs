namespace KubeHa.Core.Clusters.Membership;

/// <summary>
/// The arithmetic of removing an etcd member. A cluster of n members needs a majority, n/2 + 1, to commit anything and
/// tolerates n - (n/2 + 1) failures. While a member leaves (drained, reset, its etcd stopped) it is still counted, so
/// the n - 1 others must still reach the majority of n: from 2 members that is impossible (1 of 2), and the last
/// member cannot leave at all. Going from an odd count to an even one keeps quorum but tolerates no more failures than
/// one member fewer: refused unless an Admin confirms it.
/// </summary>
public static class EtcdQuorumGuard
{
    /// <summary>The majority a cluster of <paramref name="members"/> needs to commit.</summary>
    public static int Quorum(int members) => (members / 2) + 1;

    /// <summary>How many members may fail while a majority stays.</summary>
    public static int Tolerates(int members) => members - Quorum(members);

    /// <param name="hostName">The host leaving (named in the reason).</param>
    /// <param name="members">etcd members before the removal (the control planes for stacked etcd, the etcd hosts for external).</param>
    /// <param name="isMember">False when the host runs no etcd member: always safe for etcd.</param>
    public static QuorumCheck CheckRemoval(string hostName, int members, bool isMember)
    {
        if (!isMember)
        {
            return new(QuorumVerdict.Safe, null);
        }

        var after = members - 1;
        if (after <= 0)
        {
            return new(QuorumVerdict.LosesQuorum,
                $"removing {hostName} leaves no etcd member: it is the cluster's last one, and its data would be gone. Reset the whole cluster instead.");
        }

        if (after < Quorum(members))
        {
            return new(QuorumVerdict.LosesQuorum,
                $"removing {hostName} leaves {Members(after)}, but while it leaves a {members}-member cluster needs {Quorum(members)} for quorum and only {after} would answer: etcd would lose quorum. " +
                $"Add a member first ({Members(members + 1)} need {Quorum(members + 1)} and tolerate {Failures(members + 1)}), then remove {hostName}.");
        }

        if (after % 2 == 0 && members % 2 == 1)
        {
            return new(QuorumVerdict.EvenCount,
                $"removing {hostName} leaves {Members(after)}: a {after}-member cluster needs {Quorum(after)} for quorum and tolerates {Failures(after)}; " +
                $"no more than {Members(after - 1)} would, while {Members(members)} need {Quorum(members)} and tolerate {Failures(members)}. " +
                "Keep an odd count (add a member, or remove another one too), or have an Admin confirm with the cluster's name.");
        }

        return new(QuorumVerdict.Safe, null);
    }

    private static string Members(int n) => n == 1 ? "1 etcd member" : $"{n} etcd members";

    private static string Failures(int n) => Tolerates(n) switch
    {
        0 => "no failure",
        1 => "1 failure",
        var k => $"{k} failures",
    };
}
