namespace KubeHa.Core.Clusters.Membership;

/// <summary>Whether etcd may lose a member, and why not.</summary>
public enum QuorumVerdict
{
    /// <summary>Safe: the member is not an etcd member, or enough stay and their count stays odd (or becomes odd).</summary>
    Safe = 0,

    /// <summary>Quorum holds but the count becomes even where it was odd: an Admin may confirm it with the cluster's name.</summary>
    EvenCount = 1,

    /// <summary>Refused whoever asks: etcd would lose quorum while the member leaves, or no member would stay.</summary>
    LosesQuorum = 2,
}
