namespace KubeHa.Core.Clusters.Health;

/// <summary>etcd as seen from <see cref="Host"/>; <see cref="Error"/> when etcdctl could not be run or answered nothing.</summary>
public sealed record EtcdHealth(string? Host, IReadOnlyList<EtcdMember> Members, string? Error)
{
    public static EtcdHealth Unknown { get; } = new(null, [], null);
}
