using k8s;

namespace KubeHa.Lab.Tests;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class KubeadmTests(LabFixture lab)
{
    [Fact]
    public async Task Init_SwapOnAndPortOccupied_FailsPreflightLikeKubeadm()
    {
        try
        {
            await lab.Lab.FaultAsync("node7", LabFault.SwapOn, default);
            await lab.Lab.FaultAsync("node7", LabFault.PortOccupied, default, "6443");
            var (exit, output, err) = lab.Ssh("node7", "sudo kubeadm init --apiserver-advertise-address 10.77.0.17");
            Assert.Equal(1, exit);
            Assert.Contains("[preflight] Running pre-flight checks", output, StringComparison.Ordinal);
            Assert.Contains("error execution phase preflight: [preflight] Some fatal errors occurred:", err, StringComparison.Ordinal);
            Assert.Contains("[ERROR Swap]: running with swap on is not supported. Please disable swap", err, StringComparison.Ordinal);
            Assert.Contains("[ERROR Port-6443]: Port 6443 is in use", err, StringComparison.Ordinal);
            Assert.DoesNotContain("[ERROR FileContent", err, StringComparison.Ordinal);
        }
        finally
        {
            await lab.Lab.HealAsync("node7", LabFault.SwapOn, default);
            await lab.Lab.HealAsync("node7", LabFault.PortOccupied, default);
        }
    }

    [Fact]
    public async Task Join_TokenExpiredByClock_FailsThenFreshTokenJoins()
    {
        try
        {
            await lab.Lab.AdvanceClockAsync(TimeSpan.FromHours(25), default);
            var expired = false;
            for (var i = 0; i < 20 && !expired; i++)
            {
                expired = !lab.Ssh("node1", "sudo kubeadm token list").Out.Contains(lab.Token, StringComparison.Ordinal);
                if (!expired) await Task.Delay(250);
            }
            Assert.True(expired, "the init token should have been cleaned up after its 24h TTL");
            var (exit, _, err) = lab.Ssh("node7", $"sudo kubeadm join {LabFixture.Vip}:6443 --token {lab.Token} --discovery-token-ca-cert-hash {lab.CaCertHash}");
            Assert.Equal(1, exit);
            Assert.Contains($"could not find a JWS signature in the cluster-info ConfigMap for token ID \"{lab.Token[..6]}\"", err, StringComparison.Ordinal);

            var cp = lab.Ssh("node7", $"sudo kubeadm join {LabFixture.Vip}:6443 --token {lab.Token} --discovery-token-ca-cert-hash sha256:{new string('0', 64)}");
            Assert.Equal(1, cp.Exit);

            var (_, joinCmd, _) = lab.Ssh("node1", "sudo kubeadm token create --print-join-command");
            Assert.StartsWith($"kubeadm join {LabFixture.Vip}:6443 --token ", joinCmd, StringComparison.Ordinal);
            var join = lab.Ssh("node7", "sudo " + joinCmd.Trim());
            Assert.True(join.Exit == 0, join.Err);
            Assert.Contains("This node has joined the cluster:", join.Out, StringComparison.Ordinal);
        }
        finally
        {
            await lab.Lab.ResetClockAsync(default);
            var reset = lab.Ssh("node7", "sudo kubeadm reset -f");
            Assert.True(reset.Exit == 0, reset.Err);
            var config = k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.AdminKubeconfigPath);
            using var client = new k8s.Kubernetes(config);
            try { await client.CoreV1.DeleteNodeAsync("node7"); } catch (k8s.Autorest.HttpOperationException) { }
        }
    }

    [Fact]
    public async Task JoinControlPlane_CertificateKeyOlderThanTwoHours_FailsDownloadCerts()
    {
        var key = lab.Ssh("node1", "sudo kubeadm init phase upload-certs --upload-certs").Out.Trim().Split('\n')[^1];
        Assert.Matches("^[0-9a-f]{64}$", key);
        try
        {
            await lab.Lab.AdvanceClockAsync(TimeSpan.FromHours(3), default);
            var (_, joinCmd, _) = lab.Ssh("node1", "sudo kubeadm token create --print-join-command");
            var gone = false;
            for (var i = 0; i < 20 && !gone; i++)
            {
                var r = lab.Ssh("node7", $"sudo {joinCmd.Trim()} --control-plane --certificate-key {key} --apiserver-advertise-address 10.77.0.17");
                gone = r.Exit == 1 && r.Err.Contains("Secret \"kubeadm-certs\" was not found in the \"kube-system\" Namespace. This Secret might have expired.", StringComparison.Ordinal);
                if (!gone) { lab.Ssh("node7", "sudo kubeadm reset -f"); await Task.Delay(250); }
            }
            Assert.True(gone);
        }
        finally
        {
            await lab.Lab.ResetClockAsync(default);
            lab.Ssh("node7", "sudo kubeadm reset -f");
        }
    }

    [Fact]
    public void Version_InstalledPackage_ReportsItsVersion()
    {
        var (exit, output, _) = lab.Ssh("node1", "kubeadm version -o short; dpkg-query -W -f='${Version}' kubeadm");
        Assert.Equal(0, exit);
        Assert.Equal("v1.30.4\n1.30.4-1.1", output.Trim());
    }

    [Fact]
    public void InitConfig_OldApiMixedFlagsAndUnknownField_HandledLikeKubeadm()
    {
        var old = lab.Ssh("node7", "printf 'apiVersion: kubeadm.k8s.io/v1beta2\\nkind: ClusterConfiguration\\n' > /tmp/old.yaml && sudo kubeadm init --config /tmp/old.yaml");
        Assert.Equal(1, old.Exit);
        Assert.Contains("your configuration file uses an old API spec: \"kubeadm.k8s.io/v1beta2\"", old.Err, StringComparison.Ordinal);

        var mixed = lab.Ssh("node7", "sudo kubeadm init --config /tmp/old.yaml --pod-network-cidr 10.244.0.0/16");
        Assert.Equal(1, mixed.Exit);
        Assert.Contains("can not mix '--config' with arguments [pod-network-cidr]", mixed.Err, StringComparison.Ordinal);

        var bad = lab.Ssh("node7",
            "printf 'apiVersion: kubeadm.k8s.io/v1beta3\\nkind: ClusterConfiguration\\nnetworking:\\n  podSubnet: 10.244.0.0/33\\nfoo: bar\\n' > /tmp/bad.yaml && sudo kubeadm init --config /tmp/bad.yaml");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("strict decoding error: unknown field \"foo\"", bad.Err, StringComparison.Ordinal);
        Assert.Contains("networking.podSubnet: Invalid value: \"10.244.0.0/33\": couldn't parse subnet", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Join_UnreachableEndpoint_FailsDiscoveryWithGoStyleError()
    {
        var (exit, _, err) = lab.Ssh("node7", $"sudo kubeadm join 10.77.1.99:6443 --token {lab.Token} --discovery-token-ca-cert-hash {lab.CaCertHash}");
        Assert.Equal(1, exit);
        Assert.Contains("error execution phase preflight: couldn't validate the identity of the API Server: Get \"https://10.77.1.99:6443/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp 10.77.1.99:6443:", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_KubeletMasked_TimesOutWaitingForControlPlane()
    {
        try
        {
            await lab.Lab.RunAsync(default, "wait-timeout", "3s");
            var (exit, output, err) = lab.Ssh("node7", "sudo systemctl mask kubelet && sudo kubeadm init --apiserver-advertise-address 10.77.0.17");
            Assert.Equal(1, exit);
            Assert.Contains("[kubelet-start] Starting the kubelet", output, StringComparison.Ordinal);
            Assert.Contains("Unit kubelet.service is masked.", err, StringComparison.Ordinal);
            Assert.Contains("error execution phase wait-control-plane:", err, StringComparison.Ordinal);
        }
        finally
        {
            await lab.Lab.RunAsync(default, "wait-timeout", "40s");
            lab.Ssh("node7", "sudo systemctl unmask kubelet; sudo kubeadm reset -f");
        }
    }

    [Fact]
    public void TokenCreate_FromConfigFile_CreatesThatTokenAndRefusesMixedFlags()
    {
        const string token = "kubeha.0123456789abcdef";
        try
        {
            var write = $"printf 'apiVersion: kubeadm.k8s.io/v1beta3\\nkind: InitConfiguration\\nbootstrapTokens:\\n- token: \"{token}\"\\n  description: \"from a file\"\\n  ttl: \"2h0m0s\"\\n' > /tmp/token.yaml";
            var mixed = lab.Ssh("node1", write + " && sudo kubeadm token create --config /tmp/token.yaml --ttl 1h --description x");
            Assert.Equal(1, mixed.Exit);
            Assert.Contains("can not mix '--config' with arguments [description ttl]", mixed.Err, StringComparison.Ordinal);

            var created = lab.Ssh("node1", "sudo kubeadm token create --config /tmp/token.yaml");
            Assert.True(created.Exit == 0, created.Err);
            Assert.Equal(token, created.Out.Trim());
            var line = lab.Ssh("node1", "sudo kubeadm token list").Out.Split('\n').Single(l => l.StartsWith(token, StringComparison.Ordinal));
            Assert.Contains("from a file", line, StringComparison.Ordinal);
            Assert.Matches(@"^\S+\s+(1h|2h|1[0-9]{2}m)\s", line);
        }
        finally
        {
            lab.Ssh("node1", "rm -f /tmp/token.yaml; sudo kubeadm token delete kubeha");
        }
    }
}
