namespace KubeHa.Lab.Sim;

/// <summary>
/// control-plane-join/etcd of a stacked control plane (phases/etcd/local.go CreateStackedEtcdStaticPodManifestFile):
/// add the member (as a learner from kubeadm 1.29, where EtcdLearnerMode is on by default), write the etcd manifest
/// with the member list as --initial-cluster, promote the learner once it has caught up, wait until every member answers.
/// </summary>
internal static partial class Kubeadm
{
    /// <summary>How long check-etcd waits for each member's status (kubeadm's client backoff, about a minute).</summary>
    private static readonly TimeSpan EtcdCheckTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan EtcdPromoteTimeout = TimeSpan.FromMinutes(2);

    /// <summary>kubeadm's constants.EtcdAPICallTimeout: how long member add is retried.</summary>
    private static readonly TimeSpan EtcdApiCallTimeout = TimeSpan.FromMinutes(2);

    /// <returns>null on success, else the error kubeadm reports for the phase.</returns>
    private static string? JoinStackedEtcd(ClusterStore store, string clusterId, KubeadmConfig cfg)
    {
        var st = store.Read();
        st.ControlPlanes.Remove(cfg.NodeName);
        var peerUrl = EtcdClient.PeerUrl(cfg.AdvertiseAddress);
        try
        {
            var client = EtcdClient.FromCluster(st);
            var learner = KubeadmReleases.For(KubeadmVersion).EtcdLearnerJoin;
            var members = client.AddMember(cfg.NodeName, peerUrl, learner, EtcdApiCallTimeout);
            Phase("[etcd] Announced new etcd member joining to the existing etcd cluster");
            Phase("[etcd] Creating static Pod manifest for \"etcd\"");
            WriteEtcdManifest(clusterId, cfg.NodeName, cfg.AdvertiseAddress, members.Select(m => (m.Name, m.PeerUrl)).ToList(), []);
            if (learner && members.FirstOrDefault(m => m.PeerUrl == peerUrl) is { } added) client.Promote(added.Id, EtcdPromoteTimeout);
            Phase("[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s");
            client.WaitForClusterAvailable(8, TimeSpan.FromSeconds(5));
            return null;
        }
        catch (EtcdException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// remove-etcd-member of `kubeadm reset` (RemoveStackedEtcdMemberFromCluster): the last member is left alone,
    /// a failure is a warning (the operator removes the member with etcdctl), as kubeadm does.
    /// </summary>
    private static void RemoveStackedEtcdMember(ClusterStore store)
    {
        try
        {
            var client = EtcdClient.FromCluster(store.Read());
            var members = client.ListMembers();
            var ip = ManifestAdvertiseAddress();
            if (members.Count == 1 && ip is not null && client.Endpoints.Contains(EtcdClient.ClientUrl(ip))) return;
            // Already removed: nothing to do, as kubeadm (ErrNoMemberIDForPeerURL).
            if (ip is null || members.FirstOrDefault(m => m.PeerUrl == EtcdClient.PeerUrl(ip)) is not { } own) return;
            client.Remove(own.Id);
        }
        catch (EtcdException e)
        {
            Console.Error.WriteLine($"W{LabEnv.Now:MMdd HH:mm:ss.ffffff} {Environment.ProcessId,7} removeetcdmember.go:106] [reset] Failed to remove etcd member: {e.Message}, please manually remove this etcd member using etcdctl");
        }
    }

    /// <summary>The etcd member's address, from its manifest's --advertise-client-urls.</summary>
    private static string? ManifestAdvertiseAddress()
    {
        var path = Path.Combine(Manifests, "etcd.yaml");
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.Contains("--advertise-client-urls=", StringComparison.Ordinal));
        return line is null ? null : new Uri(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim()).Host;
    }
}
