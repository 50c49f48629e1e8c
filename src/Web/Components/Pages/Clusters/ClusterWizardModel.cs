using KubeHa.Core.Clusters;

namespace KubeHa.Web.Components.Pages.Clusters;

/// <summary>
/// The create wizard's editable state: form fields that map one to one onto <see cref="ClusterSpec"/>, the role picks
/// per host, and which wizard step each validation field belongs to.
/// </summary>
public sealed class ClusterWizardModel
{
    public const int BasicsStep = 0;
    public const int TopologyStep = 1;
    public const int HostsStep = 2;
    public const int NetworkStep = 3;
    public const int ReviewStep = 4;

    private static readonly ClusterSpec Defaults = new();

    public string Name { get; set; } = "";

    /// <summary>Network zone to pin the cluster to; empty: any agent.</summary>
    public string Zone { get; set; } = "";

    public string KubernetesVersion { get; set; } = Defaults.KubernetesVersion;

    public EtcdTopology EtcdTopology { get; set; } = Defaults.EtcdTopology;

    public LoadBalancerMode LoadBalancerMode { get; set; } = Defaults.LoadBalancerMode;

    public string ControlPlaneEndpointHost { get; set; } = "";

    public int ControlPlaneEndpointPort { get; set; } = 8443;

    public int ApiServerPort { get; set; } = Defaults.ApiServerPort;

    public string VirtualIp { get; set; } = "";

    public int VirtualRouterId { get; set; } = Defaults.VirtualRouterId;

    public string PodSubnet { get; set; } = Defaults.PodSubnet;

    public string ServiceSubnet { get; set; } = Defaults.ServiceSubnet;

    public ContainerRuntime ContainerRuntime { get; set; } = Defaults.ContainerRuntime;

    public CniPlugin Cni { get; set; } = Defaults.Cni;

    /// <summary>Roles picked per host id; a host with no role is not part of the cluster.</summary>
    public Dictionary<int, HashSet<NodeRole>> Roles { get; } = [];

    public bool Has(int hostId, NodeRole role) => Roles.TryGetValue(hostId, out var roles) && roles.Contains(role);

    public void Set(int hostId, NodeRole role, bool on)
    {
        if (!Roles.TryGetValue(hostId, out var roles))
        {
            Roles[hostId] = roles = [];
        }

        if (on)
        {
            roles.Add(role);
        }
        else
        {
            roles.Remove(role);
        }
    }

    /// <summary>Roles the current topology and load-balancer mode use; others are hidden in the host picker.</summary>
    public IReadOnlyList<NodeRole> OfferedRoles =>
    [
        NodeRole.ControlPlane,
        NodeRole.Worker,
        .. EtcdTopology == EtcdTopology.External ? [NodeRole.Etcd] : Array.Empty<NodeRole>(),
        .. LoadBalancerMode != LoadBalancerMode.NodeLocal ? [NodeRole.LoadBalancer] : Array.Empty<NodeRole>(),
    ];

    public ClusterSpec ToSpec() => Defaults with
    {
        KubernetesVersion = Core.Clusters.KubernetesVersion.Normalise(KubernetesVersion),
        EtcdTopology = EtcdTopology,
        LoadBalancerMode = LoadBalancerMode,
        ControlPlaneEndpointHost = LoadBalancerMode == LoadBalancerMode.NodeLocal ? "" : ControlPlaneEndpointHost.Trim(),
        ControlPlaneEndpointPort = ControlPlaneEndpointPort,
        ApiServerPort = ApiServerPort,
        VirtualIp = LoadBalancerMode == LoadBalancerMode.KeepalivedVip ? VirtualIp.Trim() : null,
        VirtualRouterId = VirtualRouterId,
        PodSubnet = PodSubnet.Trim(),
        ServiceSubnet = ServiceSubnet.Trim(),
        ContainerRuntime = ContainerRuntime,
        Cni = Cni,
    };

    /// <summary>
    /// The draft, hosts in inventory order with the control planes first (the first one runs kubeadm init); roles the
    /// current topology does not offer are dropped, so switching modes never leaves hidden roles behind.
    /// </summary>
    public ClusterDraft ToDraft(IEnumerable<int> inventoryOrder)
    {
        var offered = OfferedRoles.ToHashSet();
        var picked = inventoryOrder
            .Select(id => (Id: id, Roles: Roles.TryGetValue(id, out var r) ? r.Where(offered.Contains).ToHashSet() : []))
            .Where(h => h.Roles.Count > 0)
            .OrderBy(h => h.Roles.Contains(NodeRole.ControlPlane) ? 0 : 1)
            .Select(h => new HostRoles(h.Id, h.Roles))
            .ToList();
        return new ClusterDraft(Name.Trim(), ToSpec(), picked, string.IsNullOrWhiteSpace(Zone) ? null : Zone.Trim());
    }

    /// <summary>The wizard step that shows a validation field.</summary>
    public static int StepOf(string field) => field switch
    {
        "name" or "kubernetesVersion" or "bootstrapTokenTtlHours" or "zone" => BasicsStep,
        "controlPlaneEndpointHost" or "controlPlaneEndpointPort" or "virtualIp" or "virtualRouterId" or "ingressForwarding" => TopologyStep,
        "podSubnet" or "serviceSubnet" => NetworkStep,
        _ => HostsStep,
    };
}
