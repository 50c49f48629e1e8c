using System.Net;
using System.Net.Sockets;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.Clusters;

/// <summary>
/// Refuses, before anything runs, the specs kubeadm would fail on later or that would not be highly available in a way
/// the operator did not choose. Every rule yields a specific message naming the field (and host) to change.
/// CNI pod CIDR policy: every CNI gets the pod CIDR substituted where its vendored upstream manifest expects it
/// (Flannel's net-conf.json, Calico's CALICO_IPV4POOL_CIDR, Cilium's cluster-pool CIDR, Weave's IPALLOC_RANGE), so any
/// IPv4 CIDR of /24 or larger is accepted (10.244.0.0/16 and Calico's 192.168.0.0/16 are only upstream defaults).
/// </summary>
public static class ClusterSpecValidator
{
    public static SpecValidationResult Validate(ClusterSpec spec, IReadOnlyList<ClusterMember> members)
    {
        var errors = new List<SpecIssue>();
        var warnings = new List<SpecIssue>();
        ValidateFields(spec, members, errors);
        ValidateVersion(spec, errors, warnings);
        ValidateTopology(spec, members, errors, warnings);
        ValidateLoadBalancer(spec, members, errors, warnings);
        ValidateNetworks(spec, members, errors);
        ValidateHosts(members, errors);
        foreach (var member in members.Where(m => m.LastCheck is { } check && check != HostCheckStatus.Succeeded))
        {
            warnings.Add(new("roles", "host-not-checked", $"{member.Name} has no successful check ({member.LastCheck}): KubeHa has not reached it, confirmed sudo or gathered its facts. Check it on the Hosts page first.", member.HostId));
        }
        return new SpecValidationResult(errors, warnings);
    }

    /// <summary>
    /// Every field on its own, before any rule combines them: enums that exist (JSON can carry any number), lists that
    /// are lists, addresses and CIDRs in the one canonical form every tool reads the same way.
    /// </summary>
    private static void ValidateFields(ClusterSpec spec, IReadOnlyList<ClusterMember> members, List<SpecIssue> errors)
    {
        Defined(spec.EtcdTopology, "etcdTopology", errors);
        Defined(spec.LoadBalancerMode, "loadBalancerMode", errors);
        Defined(spec.ContainerRuntime, "containerRuntime", errors);
        Defined(spec.Cni, "cni", errors);
        foreach (var role in members.SelectMany(m => m.Roles ?? new HashSet<NodeRole>()).Distinct())
        {
            Defined(role, "roles", errors);
        }

        if (spec.VirtualIpPrefixLength is < 1 or > 32)
        {
            errors.Add(new("virtualIpPrefixLength", "invalid-prefix-length", $"The VIP's prefix length must be between 1 and 32 (the load-balancer hosts' IPv4 subnet, e.g. 24), not {spec.VirtualIpPrefixLength}."));
        }

        if (!string.IsNullOrWhiteSpace(spec.VirtualIp) && !HostInputRules.IsCanonicalIPv4(spec.VirtualIp))
        {
            errors.Add(new("virtualIp", "invalid-virtual-ip", $"{HostInputRules.Quoted(spec.VirtualIp)} is not an IPv4 address written as four decimal numbers without leading zeros, e.g. 192.168.56.15."));
        }

        if (!string.IsNullOrWhiteSpace(spec.ControlPlaneEndpointHost))
        {
            CanonicalAddress(spec.ControlPlaneEndpointHost, "controlPlaneEndpointHost", "The control-plane endpoint host", errors);
        }

        if (spec.ApiServerCertSans is null)
        {
            errors.Add(new("apiServerCertSans", "invalid-cert-sans", "apiServerCertSans must be a list of IP addresses and DNS names ([] for none)."));
        }
        else
        {
            foreach (var san in spec.ApiServerCertSans)
            {
                // A wildcard DNS SAN ("*.api.example.com") is valid in a certificate.
                var name = san?.StartsWith("*.", StringComparison.Ordinal) == true ? san[2..] : san;
                CanonicalAddress(name ?? string.Empty, "apiServerCertSans", $"The API server certificate name {HostInputRules.Quoted(san ?? "null")}", errors);
            }
        }

        foreach (var member in members.Where(m => !HostInputRules.IsCanonicalAddress(m.Address)))
        {
            errors.Add(new("hosts", "invalid-address", $"{member.Name}'s address {HostInputRules.Quoted(member.Address ?? string.Empty)} is not a canonical IP address or DNS name: edit the host (it was stored before KubeHa checked addresses strictly).", member.HostId));
        }
    }

    private static void Defined<T>(T value, string field, List<SpecIssue> errors)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            var names = string.Join(", ", Enum.GetNames<T>().Select(n => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(n)));
            errors.Add(new(field, "invalid-choice", $"{Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)} is not a valid {field}: choose one of {names}."));
        }
    }

    private static void CanonicalAddress(string value, string field, string what, List<SpecIssue> errors)
    {
        if (HostInputRules.CheckAddress(value) is { } error)
        {
            errors.Add(new(field, "invalid-address", $"{what}: {error}"));
        }
        else if (HostInputRules.CanonicalAddress(value) is var canonical && canonical != value)
        {
            errors.Add(new(field, "non-canonical-address", $"{what}: write {HostInputRules.Quoted(value)} as {canonical}."));
        }
    }

    private static void ValidateVersion(ClusterSpec spec, List<SpecIssue> errors, List<SpecIssue> warnings)
    {
        if (!KubernetesVersion.TryParse(spec.KubernetesVersion, out var version))
        {
            errors.Add(new("kubernetesVersion", "invalid-version", $"{HostInputRules.Quoted(spec.KubernetesVersion ?? string.Empty)} is not a Kubernetes version like 1.31.2."));
        }
        else if (!KubernetesReleases.IsSupportedMinor(version))
        {
            errors.Add(new("kubernetesVersion", "unsupported-version", $"Kubernetes {version} is not supported: KubeHa provisions {KubernetesReleases.Range}."));
        }
        else if (!KubernetesReleases.IsKnown(version))
        {
            warnings.Add(new("kubernetesVersion", "unknown-patch", $"Kubernetes {version} is newer than the newest {version.Major}.{version.Minor} release KubeHa knows ({KubernetesReleases.NewestOf(version)}): the package repository must have it, or installing kubeadm fails."));
        }

        if (spec.BootstrapTokenTtlHours is < 1 or > 168)
        {
            errors.Add(new("bootstrapTokenTtlHours", "invalid-token-ttl", "The bootstrap token lifetime must be between 1 and 168 hours."));
        }
    }

    private static void ValidateTopology(ClusterSpec spec, IReadOnlyList<ClusterMember> members, List<SpecIssue> errors, List<SpecIssue> warnings)
    {
        var controlPlanes = members.Count(m => m.Is(NodeRole.ControlPlane));
        var etcd = members.Where(m => m.Is(NodeRole.Etcd)).ToList();
        if (controlPlanes == 0)
        {
            errors.Add(new("roles", "no-control-plane", "A cluster needs at least one control plane: give the control-plane role to 1, 3 or 5 hosts."));
        }
        else if (controlPlanes == 1)
        {
            warnings.Add(new("roles", "single-control-plane", "A single control plane is not highly available: if it fails, the API and etcd are gone. Use 3 for HA."));
        }

        if (spec.EtcdTopology == EtcdTopology.Stacked)
        {
            if (controlPlanes >= 2 && controlPlanes % 2 == 0)
            {
                errors.Add(new("roles", "even-control-planes",
                    $"{controlPlanes} stacked control planes run {controlPlanes} etcd members, an even number: a majority of {controlPlanes} is {controlPlanes / 2 + 1}, so losing one member tolerates no more failures than {controlPlanes - 1} (2 gives no etcd quorum at all when one fails). Use 3 or 5."));
            }

            foreach (var member in etcd)
            {
                errors.Add(new("roles", "etcd-role-stacked", $"{member.Name} has the etcd role, but the etcd topology is stacked (etcd runs on the control planes): choose the external topology or remove the role.", member.HostId));
            }

            return;
        }

        if (etcd.Count == 0)
        {
            errors.Add(new("roles", "no-etcd-hosts", "The external etcd topology needs etcd hosts: give the etcd role to 3 or 5 hosts."));
        }
        else if (etcd.Count % 2 == 0)
        {
            errors.Add(new("roles", "even-etcd-members",
                $"{etcd.Count} etcd members is an even number: a majority of {etcd.Count} is {etcd.Count / 2 + 1}, so it tolerates no more failures than {etcd.Count - 1} (2 gives no etcd quorum at all when one fails). Use 3 or 5."));
        }
        else if (etcd.Count == 1)
        {
            warnings.Add(new("roles", "single-etcd-member", "A single external etcd member is not highly available. Use 3 for HA."));
        }

        foreach (var member in etcd.Where(m => m.Is(NodeRole.ControlPlane) || m.Is(NodeRole.Worker)))
        {
            errors.Add(new("roles", "etcd-host-shared", $"{member.Name} is an external etcd member and a Kubernetes node: external etcd members must be separate hosts (seed 002).", member.HostId));
        }
    }

    private static void ValidateLoadBalancer(ClusterSpec spec, IReadOnlyList<ClusterMember> members, List<SpecIssue> errors, List<SpecIssue> warnings)
    {
        var balancers = members.Where(m => m.Is(NodeRole.LoadBalancer)).ToList();
        if (spec.ControlPlaneEndpointPort is < 1 or > 65535 || spec.ApiServerPort is < 1 or > 65535)
        {
            errors.Add(new("controlPlaneEndpointPort", "invalid-port", "Ports must be between 1 and 65535."));
        }

        switch (spec.LoadBalancerMode)
        {
            case LoadBalancerMode.KeepalivedVip:
                if (balancers.Count == 0)
                {
                    errors.Add(new("roles", "no-load-balancer-hosts", "Keepalived mode needs load-balancer hosts to run HAProxy and hold the VIP: give the load-balancer role to 2 hosts."));
                }
                else if (balancers.Count == 1)
                {
                    warnings.Add(new("roles", "single-load-balancer", "With one load-balancer host the VIP has nowhere to fail over to. Use 2."));
                }

                if (string.IsNullOrWhiteSpace(spec.VirtualIp))
                {
                    errors.Add(new("virtualIp", "missing-virtual-ip", "Keepalived mode needs a free IPv4 virtual IP on the load-balancer hosts' subnet, e.g. 192.168.56.15."));
                }
                else if (members.FirstOrDefault(m => m.Address == spec.VirtualIp) is { } owner)
                {
                    errors.Add(new("virtualIp", "virtual-ip-in-use", $"The virtual IP {spec.VirtualIp} is {owner.Name}'s own address: choose a free one.", owner.HostId));
                }

                if (spec.VirtualRouterId is < 1 or > 255)
                {
                    errors.Add(new("virtualRouterId", "invalid-router-id", "The VRRP virtual router id must be between 1 and 255."));
                }

                PortClash(spec, balancers, errors);
                break;

            case LoadBalancerMode.DedicatedHaproxy:
                if (balancers.Count == 0)
                {
                    errors.Add(new("roles", "no-load-balancer-hosts", "Dedicated HAProxy mode needs one load-balancer host: give the load-balancer role to one host."));
                }
                else if (balancers.Count > 1)
                {
                    errors.Add(new("roles", "too-many-load-balancers", $"Dedicated HAProxy mode uses exactly one HAProxy host, not {balancers.Count}: keep one, or choose keepalived mode to share a VIP between several."));
                }

                PortClash(spec, balancers, errors);
                break;

            case LoadBalancerMode.NodeLocal:
                if (!string.IsNullOrWhiteSpace(spec.ControlPlaneEndpointHost) && spec.ControlPlaneEndpointHost.Trim() != ControlPlaneEndpoint.Loopback)
                {
                    errors.Add(new("controlPlaneEndpointHost", "node-local-endpoint", "Node-local mode always uses 127.0.0.1 as the endpoint (HAProxy runs on every node): leave the endpoint host empty."));
                }

                if (spec.ControlPlaneEndpointPort == spec.ApiServerPort)
                {
                    errors.Add(new("controlPlaneEndpointPort", "endpoint-port-clash", $"In node-local mode HAProxy listens on 127.0.0.1:{spec.ControlPlaneEndpointPort} on the control planes too, where kube-apiserver already binds {spec.ApiServerPort}: choose another port, e.g. 5443."));
                }

                foreach (var member in balancers)
                {
                    warnings.Add(new("roles", "load-balancer-unused", $"{member.Name} has the load-balancer role, which node-local mode does not use (HAProxy runs on every node).", member.HostId));
                }

                break;
        }

        if (spec.IngressForwarding is { } ingress)
        {
            if (spec.LoadBalancerMode != LoadBalancerMode.DedicatedHaproxy)
            {
                errors.Add(new("ingressForwarding", "ingress-needs-dedicated", "Forwarding 80/443 to the ingress NodePorts is offered in dedicated HAProxy mode only."));
            }

            if (ingress.HttpNodePort is < 30000 or > 32767 || ingress.HttpsNodePort is < 30000 or > 32767)
            {
                errors.Add(new("ingressForwarding", "invalid-node-port", "Ingress NodePorts must be in the NodePort range 30000-32767."));
            }
        }
    }

    private static void PortClash(ClusterSpec spec, List<ClusterMember> balancers, List<SpecIssue> errors)
    {
        foreach (var member in balancers.Where(m => m.Is(NodeRole.ControlPlane) && spec.ControlPlaneEndpointPort == spec.ApiServerPort))
        {
            errors.Add(new("controlPlaneEndpointPort", "endpoint-port-clash", $"{member.Name} is a load balancer and a control plane: HAProxy and kube-apiserver would both bind port {spec.ApiServerPort}. Use another endpoint port (8443) or separate hosts.", member.HostId));
        }
    }

    private static void ValidateNetworks(ClusterSpec spec, IReadOnlyList<ClusterMember> members, List<SpecIssue> errors)
    {
        var pod = ParseCidr(spec.PodSubnet, "podSubnet", errors);
        var service = ParseCidr(spec.ServiceSubnet, "serviceSubnet", errors);
        if (pod is { } p && service is { } s && Overlaps(p, s))
        {
            errors.Add(new("serviceSubnet", "subnets-overlap", $"The pod subnet {spec.PodSubnet} and the service subnet {spec.ServiceSubnet} overlap: they must be disjoint."));
        }

        var addresses = members.Select(m => (m.Name, HostId: (int?)m.HostId, Ip: IPAddress.TryParse(m.Address, out var ip) ? ip : null))
            .Where(a => a.Ip is not null)
            .ToList();
        if (spec.VirtualIp is not null && IPAddress.TryParse(spec.VirtualIp, out var vip))
        {
            addresses.Add(("the virtual IP", null, vip));
        }

        foreach (var (subnet, field, text) in new[] { (pod, "podSubnet", spec.PodSubnet), (service, "serviceSubnet", spec.ServiceSubnet) })
        {
            if (subnet is not { } net)
            {
                continue;
            }

            foreach (var (name, hostId, ip) in addresses.Where(a => net.Contains(a.Ip!)))
            {
                errors.Add(new(field, "host-subnet-overlap", $"The {(field == "podSubnet" ? "pod" : "service")} subnet {text} contains {name}'s address {ip}: host and cluster subnets must not overlap, or traffic to the host is routed into the cluster.", hostId));
            }
        }

        if (pod is { } podNet)
        {
            // Every CNI gets the pod subnet where its manifest expects it (CniManifests), Flannel's net-conf.json included.
            if (podNet.PrefixLength > 24)
            {
                errors.Add(new("podSubnet", "cni-pod-cidr", $"The pod subnet {spec.PodSubnet} is too small: {spec.Cni} and the controller manager give each node a /24, so use a /24 or larger (e.g. /16)."));
            }
        }
    }

    private static void ValidateHosts(IReadOnlyList<ClusterMember> members, List<SpecIssue> errors)
    {
        foreach (var member in members.Where(m => m.OtherClusterName is not null))
        {
            errors.Add(new("roles", "host-in-other-cluster", $"{member.Name} already belongs to cluster '{member.OtherClusterName}': a host can be in one cluster only. Reset and remove it there first.", member.HostId));
        }

        foreach (var member in members.Where(m => m.Roles.Count == 0))
        {
            errors.Add(new("roles", "no-role", $"{member.Name} has no role.", member.HostId));
        }

        foreach (var member in members.Where(m => m.IsKubernetesNode || m.Is(NodeRole.Etcd)))
        {
            if (!NodeNames.TryFor(member.Facts, member.Name, out _, out var error))
            {
                errors.Add(new("hosts", "invalid-node-name", $"{member.Name}: {error}", member.HostId));
            }
        }

        var nodes = members.Where(m => m.IsKubernetesNode || m.Is(NodeRole.Etcd)).Select(m => new FactSubject(m.HostId, m.Name, m.Facts));
        foreach (var warning in FactWarnings.Evaluate(nodes).Where(w => w.Code.StartsWith("duplicate-", StringComparison.Ordinal)))
        {
            var name = members.First(m => m.HostId == warning.HostId).Name;
            errors.Add(new("hosts", warning.Code, $"{name}: {warning.Message}", warning.HostId));
        }
    }

    private static IPNetwork? ParseCidr(string? text, string field, List<SpecIssue> errors)
    {
        var address = text?.Split('/')[0];
        if (IPNetwork.TryParse(text, out var net) && net.BaseAddress.AddressFamily == AddressFamily.InterNetwork && HostInputRules.IsCanonicalIPv4(address))
        {
            if (net.ToString() == text)
            {
                return net;
            }

            errors.Add(new(field, "non-canonical-cidr", $"Write {HostInputRules.Quoted(text!)} as {net}."));
            return null;
        }

        errors.Add(new(field, "invalid-cidr", $"{HostInputRules.Quoted(text ?? string.Empty)} is not an IPv4 CIDR like 10.244.0.0/16 (four decimal numbers without leading zeros, with the host bits zero)."));
        return null;
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);
}
