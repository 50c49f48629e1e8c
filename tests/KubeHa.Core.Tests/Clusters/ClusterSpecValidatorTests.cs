using KubeHa.Core.Clusters;
using static KubeHa.Core.Tests.Clusters.Topologies;

namespace KubeHa.Core.Tests.Clusters;

public sealed class ClusterSpecValidatorTests
{
    [Fact]
    public void Validate_EverySeedTopology_IsValid()
    {
        foreach (var (spec, members) in new[] { Seed000(), Seed001(), Seed002(), Seed004() })
        {
            var result = ClusterSpecValidator.Validate(spec, members);
            Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Message)));
        }
    }

    [Fact]
    public void Validate_HostnameOrUncheckedNameNotANodeName_RefusedPerHost()
    {
        var (spec, members) = Seed000();
        members[3] = members[3] with { Facts = Facts(4, hostname: "w1;touch pwned;#") };
        members[4] = members[4] with { Name = "worker $(id)", Facts = null };

        var errors = ClusterSpecValidator.Validate(spec, members).Errors.Where(e => e.Code == "invalid-node-name").ToList();

        Assert.Equal([4, 5], errors.Select(e => e.HostId));
        Assert.Contains("'w1;touch pwned;#'", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("check the host first", errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.40.0")]
    [InlineData("1.28.15")]
    [InlineData("2.31.0")]
    public void Validate_VersionOutsideTheSupportedRange_RefusedNamingTheRange(string version)
    {
        var (spec, members) = Seed000();

        var error = Assert.Single(ClusterSpecValidator.Validate(spec with { KubernetesVersion = version }, members).Errors);

        Assert.Equal(("kubernetesVersion", "unsupported-version"), (error.Field, error.Code));
        Assert.Contains("KubeHa provisions 1.29 to 1.37", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PatchNewerThanTheRepositoryKnows_Warns()
    {
        var (spec, members) = Seed000();

        var result = ClusterSpecValidator.Validate(spec with { KubernetesVersion = "1.37.9" }, members);

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Code == "unknown-patch" && w.Message.Contains("(1.37.3)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_HostWhoseLastCheckFailed_WarnsNamingIt()
    {
        var (spec, members) = Seed000();
        members[1] = members[1] with { LastCheck = KubeHa.Core.Hosts.HostCheckStatus.Failed };

        var warning = Assert.Single(ClusterSpecValidator.Validate(spec, members).Warnings, w => w.Code == "host-not-checked");

        Assert.Equal(members[1].HostId, warning.HostId);
        Assert.StartsWith($"{members[1].Name} has no successful check", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.30.4", "1.30.4")]
    [InlineData(" 1.31.2 ", "1.31.2")]
    [InlineData("1.31", "1.31")]
    public void Normalise_LeadingVAndSpaces_Dropped(string text, string expected)
        => Assert.Equal(expected, KubernetesVersion.Normalise(text));

    [Fact]
    public void Offered_NewestFirst_WithinTheSupportedRange()
    {
        Assert.Equal("1.37.3", KubernetesReleases.Offered[0]);
        Assert.Equal("1.29.0", KubernetesReleases.Offered[^1]);
        Assert.All(KubernetesReleases.Offered, v => Assert.True(KubernetesReleases.IsKnown(KubernetesVersion.Parse(v))));
    }

    [Theory]
    [InlineData("1.34.13")]
    [InlineData("1.35.11")]
    [InlineData("1.36.7")]
    [InlineData("1.37.3")]
    [InlineData("1.29.15")]
    public void Validate_CurrentAndOlderReleases_AcceptedWithoutWarning(string version)
    {
        var (spec, members) = Seed000();

        var result = ClusterSpecValidator.Validate(spec with { KubernetesVersion = version }, members);

        Assert.True(result.IsValid);
        Assert.DoesNotContain(result.Warnings, w => w.Field == "kubernetesVersion");
    }

    [Fact]
    public void Default_NewestPatchOfTheNewestMinor_IsTheSpecsDefault()
    {
        Assert.Equal("1.37.3", KubernetesReleases.Default);
        Assert.Equal(KubernetesReleases.Offered[0], KubernetesReleases.Default);
        Assert.Equal(KubernetesReleases.Default, new ClusterSpec().KubernetesVersion);
    }

    [Theory]
    [InlineData(34)]
    [InlineData(35)]
    [InlineData(36)]
    [InlineData(37)]
    public void Offered_EachCurrentMinor_FromPatchZeroToItsNewest(int minor)
    {
        var patches = KubernetesReleases.Offered.Where(v => v.StartsWith($"1.{minor}.", StringComparison.Ordinal)).ToList();

        Assert.Equal($"1.{minor}.0", patches[^1]);
        Assert.Equal(KubernetesReleases.NewestOf(KubernetesVersion.Parse($"1.{minor}.0")), patches[0]);
    }

    public static TheoryData<string, string, Func<ClusterSpec, ClusterSpec>> MalformedFields() => new()
    {
        { "cni", "invalid-choice", s => s with { Cni = (CniPlugin)42 } },
        { "etcdTopology", "invalid-choice", s => s with { EtcdTopology = (EtcdTopology)7 } },
        { "loadBalancerMode", "invalid-choice", s => s with { LoadBalancerMode = (LoadBalancerMode)9 } },
        { "containerRuntime", "invalid-choice", s => s with { ContainerRuntime = (ContainerRuntime)(-1) } },
        { "apiServerCertSans", "invalid-cert-sans", s => s with { ApiServerCertSans = null! } },
        { "apiServerCertSans", "invalid-address", s => s with { ApiServerCertSans = ["api.example.com", "10.0.0.1;id"] } },
        { "apiServerCertSans", "invalid-address", s => s with { ApiServerCertSans = ["010.0.0.1"] } },
        { "apiServerCertSans", "invalid-address", s => s with { ApiServerCertSans = [null!] } },
        { "apiServerCertSans", "non-canonical-address", s => s with { ApiServerCertSans = ["API.Example.com"] } },
        { "controlPlaneEndpointHost", "invalid-address", s => s with { ControlPlaneEndpointHost = "api$(id).example.com" } },
        { "controlPlaneEndpointHost", "invalid-address", s => s with { ControlPlaneEndpointHost = "010.1.1.1" } },
        { "virtualIpPrefixLength", "invalid-prefix-length", s => s with { VirtualIpPrefixLength = 33 } },
        { "virtualIpPrefixLength", "invalid-prefix-length", s => s with { VirtualIpPrefixLength = 0 } },
        { "virtualIp", "invalid-virtual-ip", s => s with { VirtualIp = "192.168.056.15" } },
        { "virtualIp", "invalid-virtual-ip", s => s with { VirtualIp = "fe80::1%$(id)" } },
        { "podSubnet", "non-canonical-cidr", s => s with { PodSubnet = "10.244.0.0/016" } },
        { "podSubnet", "invalid-cidr", s => s with { PodSubnet = "0xa.0xf4.0.0/16" } },
        { "podSubnet", "invalid-cidr", s => s with { PodSubnet = "010.244.0.0/16" } },
        { "podSubnet", "invalid-cidr", s => s with { PodSubnet = null! } },
        { "serviceSubnet", "invalid-cidr", s => s with { ServiceSubnet = " 10.96.0.0/12\n" } },
        { "kubernetesVersion", "invalid-version", s => s with { KubernetesVersion = null! } },
        { "kubernetesVersion", "invalid-version", s => s with { KubernetesVersion = "1.31.2;id" } },
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public void Validate_MalformedField_RefusedOnThatFieldNeverThrows(string field, string code, Func<ClusterSpec, ClusterSpec> change)
    {
        var (spec, members) = Seed000();

        var result = ClusterSpecValidator.Validate(change(spec), members);

        var error = Assert.Single(result.Errors, e => e.Field == field);
        Assert.Equal(code, error.Code);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Validate_EveryReferenceFieldNullAndUndefinedRoles_ErrorsNotExceptions()
    {
        var (_, members) = Seed002();
        var spec = new ClusterSpec
        {
            KubernetesVersion = null!, ControlPlaneEndpointHost = null!, VirtualIp = null, ApiServerCertSans = null!,
            IngressForwarding = null, PodSubnet = null!, ServiceSubnet = null!,
        };
        members[0] = members[0] with { Roles = new HashSet<NodeRole> { (NodeRole)42 } };

        var result = ClusterSpecValidator.Validate(spec, members);

        Assert.Contains(result.Errors, e => e.Field == "roles" && e.Code == "invalid-choice");
        Assert.Contains(result.Errors, e => e.Field == "kubernetesVersion");
        Assert.Contains(result.Errors, e => e.Field == "podSubnet");
    }

    [Fact]
    public void Validate_MemberAddressStoredBeforeStrictChecks_Refused()
    {
        var (spec, members) = Seed000();
        members[4] = members[4] with { Address = "192.168.56.024" };
        members[5] = members[5] with { Address = "fe80::1%$(id)" };

        var errors = ClusterSpecValidator.Validate(spec, members).Errors.Where(e => e.Code == "invalid-address").ToList();

        Assert.Equal([5, 6], errors.Select(e => e.HostId));
    }

    [Fact]
    public void Validate_NoControlPlane_Refused()
    {
        var (spec, members) = Seed000();
        var result = ClusterSpecValidator.Validate(spec, members.Where(m => !m.Is(NodeRole.ControlPlane)).ToList());
        var error = Assert.Single(result.Errors, e => e.Code == "no-control-plane");
        Assert.Contains("at least one control plane", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Seed004WithTwoControlPlanes_RefusedForEtcdQuorum()
    {
        var (spec, members) = Seed004(controlPlanes: 2);
        var result = ClusterSpecValidator.Validate(spec, members);
        var error = Assert.Single(result.Errors);
        Assert.Equal("even-control-planes", error.Code);
        Assert.Equal("roles", error.Field);
        Assert.Contains("2 gives no etcd quorum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FourExternalEtcdMembers_Refused()
    {
        var (spec, members) = Seed002();
        members.Add(Member(20, "10.0.0.9", NodeRole.Etcd));
        var result = ClusterSpecValidator.Validate(spec, members);
        Assert.Contains(result.Errors, e => e.Code == "even-etcd-members" && e.Message.Contains("4 etcd members", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TwoControlPlanesWithExternalEtcd_Allowed()
    {
        var (spec, members) = Seed002();
        var result = ClusterSpecValidator.Validate(spec, members.Where(m => m.HostId != 6).ToList());
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Validate_SingleControlPlane_AllowedWithWarning()
    {
        var (spec, members) = Seed001();
        var result = ClusterSpecValidator.Validate(spec, members.Where(m => m.HostId is 1 or 4).ToList());
        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Code == "single-control-plane");
    }

    [Theory]
    [InlineData("10.96.0.0/12", "10.96.0.0/16", "serviceSubnet", "subnets-overlap")]
    [InlineData("192.168.0.0/16", "10.96.0.0/12", "podSubnet", "host-subnet-overlap")]
    [InlineData("10.244.0.0/16", "192.168.56.0/24", "serviceSubnet", "host-subnet-overlap")]
    public void Validate_OverlappingSubnets_Refused(string pod, string service, string field, string code)
    {
        var (spec, members) = Seed000();
        var result = ClusterSpecValidator.Validate(spec with { PodSubnet = pod, ServiceSubnet = service, Cni = CniPlugin.Calico }, members);
        Assert.Contains(result.Errors, e => e.Field == field && e.Code == code);
    }

    [Fact]
    public void Validate_FlannelWithOtherPodCidr_Allowed()
    {
        var (spec, members) = Seed001();
        Assert.True(ClusterSpecValidator.Validate(spec with { PodSubnet = "10.32.0.0/12" }, members).IsValid);
    }

    [Fact]
    public void Validate_CalicoWithNonDefaultPodCidr_Allowed()
    {
        var (spec, members) = Seed001();
        Assert.True(ClusterSpecValidator.Validate(spec with { Cni = CniPlugin.Calico, PodSubnet = "10.128.0.0/16" }, members).IsValid);
    }

    [Fact]
    public void Validate_PodCidrSmallerThanNodeBlock_Refused()
    {
        var (spec, members) = Seed001();
        var result = ClusterSpecValidator.Validate(spec with { Cni = CniPlugin.Cilium, PodSubnet = "10.128.0.0/26" }, members);
        Assert.Contains(result.Errors, e => e.Code == "cni-pod-cidr" && e.Message.Contains("too small", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_HostInAnotherCluster_RefusedNamingIt()
    {
        var (spec, members) = Seed001();
        members[3] = members[3] with { OtherClusterName = "prod" };
        var error = Assert.Single(ClusterSpecValidator.Validate(spec, members).Errors);
        Assert.Equal("host-in-other-cluster", error.Code);
        Assert.Equal(4, error.HostId);
        Assert.Contains("'prod'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LoadBalancerMode.KeepalivedVip)]
    [InlineData(LoadBalancerMode.DedicatedHaproxy)]
    public void Validate_MissingLoadBalancerHosts_Refused(LoadBalancerMode mode)
    {
        var (spec, members) = Seed000();
        var result = ClusterSpecValidator.Validate(spec with { LoadBalancerMode = mode }, members.Where(m => !m.Is(NodeRole.LoadBalancer)).ToList());
        Assert.Contains(result.Errors, e => e.Code == "no-load-balancer-hosts");
    }

    [Fact]
    public void Validate_KeepalivedWithoutVip_Refused()
    {
        var (spec, members) = Seed000();
        var result = ClusterSpecValidator.Validate(spec with { VirtualIp = null }, members);
        Assert.Contains(result.Errors, e => e.Field == "virtualIp" && e.Code == "missing-virtual-ip");
    }

    [Fact]
    public void Validate_NodeLocalOnApiServerPort_Refused()
    {
        var (spec, members) = Seed001();
        var result = ClusterSpecValidator.Validate(spec with { ControlPlaneEndpointPort = 6443 }, members);
        Assert.Contains(result.Errors, e => e.Code == "endpoint-port-clash");
    }

    [Theory]
    [InlineData("mac")]
    [InlineData("uuid")]
    [InlineData("hostname")]
    public void Validate_DuplicateIdentityInFacts_Refused(string what)
    {
        var (spec, members) = Seed001();
        var clone = what switch
        {
            "mac" => Facts(2, mac: "02:00:00:00:00:01"),
            "uuid" => Facts(2, uuid: "uuid-1"),
            _ => Facts(2, hostname: "host1"),
        };
        members[1] = members[1] with { Facts = clone };
        var result = ClusterSpecValidator.Validate(spec, members);
        var code = what switch { "mac" => "duplicate-mac", "uuid" => "duplicate-product-uuid", _ => "duplicate-hostname" };
        Assert.Equal([1, 2], result.Errors.Where(e => e.Code == code).Select(e => e.HostId!.Value).Order());
    }

    [Fact]
    public void Validate_IngressForwardingOutsideDedicatedMode_Refused()
    {
        var (spec, members) = Seed000();
        var result = ClusterSpecValidator.Validate(spec with { IngressForwarding = new IngressForwarding(80, 443) }, members);
        Assert.Contains(result.Errors, e => e.Code == "ingress-needs-dedicated");
        Assert.Contains(result.Errors, e => e.Code == "invalid-node-port");
    }

    [Fact]
    public void ControlPlaneEndpoint_PerMode_DerivedFromSpecAndHosts()
    {
        Assert.Equal("api.kube.diehard.net:8443", ControlPlaneEndpoint.For(Seed000().Spec, Seed000().Members).ToString());
        Assert.Equal("127.0.0.1:5443", ControlPlaneEndpoint.For(Seed001().Spec, Seed001().Members).ToString());
        Assert.Equal("10.2.47.84:6443", ControlPlaneEndpoint.For(Seed004().Spec, Seed004().Members).ToString());
        var kubeHa = ControlPlaneEndpoint.ForKubeHa(Seed001().Spec, Seed001().Members);
        Assert.Equal(["https://10.0.42.1:6443/", "https://10.0.42.2:6443/", "https://10.0.42.3:6443/"], kubeHa.Select(u => u.ToString()));
    }
}
