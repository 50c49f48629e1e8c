namespace KubeHa.Core.Clusters.Health;

/// <summary>One etcd member from <c>etcdctl member list</c>, with its endpoint's health when it has been checked.</summary>
/// <param name="Id">Member id (hex).</param>
/// <param name="Name">Member name (the node name for stacked etcd); empty while a member is unstarted.</param>
/// <param name="Started">"started" rather than "unstarted".</param>
/// <param name="PeerUrl">First peer URL.</param>
/// <param name="ClientUrl">First client URL.</param>
/// <param name="IsLearner">A learner (non-voting) member.</param>
/// <param name="Healthy">From <c>etcdctl endpoint health --cluster</c>; null when not reported.</param>
/// <param name="HealthDetail">"successfully committed proposal: took = 2.1ms", or why it is unhealthy.</param>
public sealed record EtcdMember(string Id, string Name, bool Started, string PeerUrl, string ClientUrl, bool IsLearner, bool? Healthy, string? HealthDetail);
