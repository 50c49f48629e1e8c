using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

internal static partial class Kubeadm
{
    private static readonly string[] JoinFlagsAllowedWithConfig = ["config", "ignore-preflight-errors", "v", "dry-run", "skip-phases"];

    private static async Task<int> JoinAsync(KubeadmArgs a)
    {
        var cfg = new KubeadmConfig { NodeName = LabEnv.NodeName };
        if (a["config"] is { } path)
        {
            var mixed = a.Flags.Keys.Where(k => !JoinFlagsAllowedWithConfig.Contains(k)).ToList();
            if (mixed.Count > 0 || a.Positional.Count > 1)
                return Fail($"can not mix '--config' with arguments [{string.Join(' ', mixed.Concat(a.Positional.Skip(1)))}]\nTo see the stack trace of this error execute with --v=5 or higher");
            var err = cfg.LoadFile(path, Minor(KubeadmVersion), "JoinConfiguration");
            foreach (var w in cfg.Warnings) Console.Error.WriteLine(w);
            if (err is not null) return Fail(err + "\nTo see the stack trace of this error execute with --v=5 or higher");
        }
        else
        {
            cfg.DiscoveryEndpoint = a.Positional.ElementAtOrDefault(1);
            cfg.DiscoveryToken = a["token"] ?? a["discovery-token"];
            if (a["discovery-token-ca-cert-hash"] is { } h) cfg.CaCertHashes.AddRange(h.Split(','));
            cfg.UnsafeSkipCaVerification = a.Has("discovery-token-unsafe-skip-ca-verification");
            cfg.ControlPlane = a.Has("control-plane");
            cfg.CertificateKey = a["certificate-key"];
            cfg.AdvertiseAddress = a["apiserver-advertise-address"] ?? "";
            cfg.NodeName = a["node-name"] ?? cfg.NodeName;
            cfg.CriSocket = a["cri-socket"] ?? "";
        }
        if (a["ignore-preflight-errors"] is { } ipe) cfg.IgnorePreflight.Add(ipe);
        if (cfg.AdvertiseAddress.Length == 0) cfg.AdvertiseAddress = LabEnv.Ip;
        if (cfg.DiscoveryEndpoint is null || cfg.DiscoveryToken is null)
            return Fail("discovery: Invalid value: \"\": bootstrapToken or file must be set\nTo see the stack trace of this error execute with --v=5 or higher");
        if (!KubeadmConfig.TokenFormat().IsMatch(cfg.DiscoveryToken))
            return Fail($"discovery.bootstrapToken.token: Invalid value: \"{cfg.DiscoveryToken[..Math.Min(6, cfg.DiscoveryToken.Length)]}...\": the bootstrap token is invalid\nTo see the stack trace of this error execute with --v=5 or higher");
        if (cfg.CaCertHashes.Count == 0 && !cfg.UnsafeSkipCaVerification)
            return Fail("discovery.bootstrapToken: Invalid value: \"\": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue\nTo see the stack trace of this error execute with --v=5 or higher");
        var errs = cfg.Validate(init: false);
        if (errs.Count > 0) return Fail(string.Join(", ", errs) + "\nTo see the stack trace of this error execute with --v=5 or higher");

        Phase("[preflight] Running pre-flight checks");
        var checks = Preflight.Run(cfg.ControlPlane, init: false, cfg);
        if (!Preflight.Report(checks.Where(c => !cfg.ControlPlane || !c.Name.StartsWith("FileAvailable--etc-kubernetes-manifests", StringComparison.Ordinal) && !c.Name.StartsWith("Port-", StringComparison.Ordinal) && !c.Name.StartsWith("DirAvailable", StringComparison.Ordinal) && c.Name != "NumCPU" && c.Name != "Mem").ToList(), cfg.IgnorePreflight))
            return 1;

        // Token-based discovery over the lab network, as kubeadm does it.
        var server = "https://" + cfg.DiscoveryEndpoint;
        var tokenId = cfg.DiscoveryToken.Split('.')[0];
        var tokenSecret = cfg.DiscoveryToken.Split('.')[1];
        var discoveryTimeout = LabEnv.Profile == "realistic" ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(10);
        JsonObject? clusterInfo = null;
        string lastErr = "";
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using (var http = ApiProbe.Client(TimeSpan.FromSeconds(3)))
        {
            while (clusterInfo is null && sw.Elapsed < discoveryTimeout)
            {
                try
                {
                    var r = await http.GetAsync(server + "/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s");
                    if (r.IsSuccessStatusCode) clusterInfo = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
                    else lastErr = $"configmaps \"cluster-info\" is forbidden: User \"system:anonymous\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"kube-public\"";
                }
                catch (Exception e) { lastErr = ApiProbe.GoError(server, e); }
                if (clusterInfo is null) await Task.Delay(500);
            }
        }
        if (clusterInfo is null)
            return Fail($"error execution phase preflight: couldn't validate the identity of the API Server: Get \"{server}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": {lastErr}\nTo see the stack trace of this error execute with --v=5 or higher");
        var data = clusterInfo["data"]!.AsObject();
        var kubeconfig = data["kubeconfig"]!.GetValue<string>();
        if (data["jws-kubeconfig-" + tokenId]?.GetValue<string>() is not { } jws)
            return Fail($"error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID \"{tokenId}\"\nTo see the stack trace of this error execute with --v=5 or higher");
        if (ClusterObjects.Jws(kubeconfig, tokenId, tokenSecret) != jws)
            return Fail($"error execution phase preflight: couldn't validate the identity of the API Server: failed to verify JWS signature of received cluster info object, can't trust this API Server\nTo see the stack trace of this error execute with --v=5 or higher");
        var caB64 = kubeconfig.Split('\n').First(l => l.Contains("certificate-authority-data:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var caPem = Encoding.UTF8.GetString(Convert.FromBase64String(caB64));
        var actualHash = Sim.Pki.CaCertHash(caPem);
        if (!cfg.UnsafeSkipCaVerification && !cfg.CaCertHashes.Contains(actualHash, StringComparer.OrdinalIgnoreCase))
            return Fail($"error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"{actualHash}\" are pinned\nTo see the stack trace of this error execute with --v=5 or higher");
        var clusterId = data["khlab-cluster-id"]!.GetValue<string>();
        var store = new ClusterStore(clusterId);
        var st = store.Read();
        var version = st.KubernetesVersion;
        Phase("[preflight] Reading configuration from the cluster...");
        Phase("[preflight] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'");

        Directory.CreateDirectory(Pki);
        File.WriteAllText(Path.Combine(Pki, "ca.crt"), caPem);
        if (cfg.ControlPlane)
        {
            if (st.ControlPlaneEndpoint.StartsWith(st.ControlPlanes.Count > 0 ? "" : "x", StringComparison.Ordinal) && data["kubeconfig"] is null) { }
            Phase("[preflight] Running pre-flight checks before initializing the new control plane instance");
            var cpChecks = Preflight.Run(true, false, cfg).Where(c => c.Name.StartsWith("FileAvailable--etc-kubernetes-manifests", StringComparison.Ordinal) || c.Name.StartsWith("Port-", StringComparison.Ordinal) || c.Name.StartsWith("DirAvailable", StringComparison.Ordinal) || c.Name is "NumCPU" or "Mem").ToList();
            if (!Preflight.Report(cpChecks, cfg.IgnorePreflight)) return 1;
            Phase("[preflight] Pulling images required for setting up a Kubernetes cluster");
            Phase("[preflight] This might take a minute or two, depending on the speed of your internet connection");
            Phase("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'");
            if (cfg.CertificateKey is null)
                return Fail("error execution phase control-plane-prepare/certs: error creating PKI assets: failed to load existing certificate authority: couldn't load the certificate file /etc/kubernetes/pki/ca.key: open /etc/kubernetes/pki/ca.key: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher");
            Phase("[download-certs] Downloading the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace");
            var externalEtcd = false;
            using (var http = ApiProbe.Client(TimeSpan.FromSeconds(10)))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cfg.DiscoveryToken);
                JsonObject? secret = null;
                try
                {
                    // As kubeadm: the etcd topology comes from the cluster's ClusterConfiguration, not from local files
                    // (an external-etcd control plane has etcd/ca.crt, distributed beforehand, but no etcd/ca.key).
                    var c = await http.GetAsync(server + "/api/v1/namespaces/kube-system/configmaps/kubeadm-config");
                    if (c.IsSuccessStatusCode)
                    {
                        var clusterConfig = JsonNode.Parse(await c.Content.ReadAsStringAsync())?["data"]?["ClusterConfiguration"]?.GetValue<string>() ?? "";
                        externalEtcd = YamlJson.Parse(clusterConfig)?["etcd"]?["external"] is JsonObject;
                    }

                    var r = await http.GetAsync(server + "/api/v1/namespaces/kube-system/secrets/kubeadm-certs");
                    if (r.IsSuccessStatusCode) secret = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
                }
                catch (Exception e)
                {
                    return Fail($"error execution phase control-plane-prepare/download-certs: error downloading certs: error downloading the secret: Get \"{server}/api/v1/namespaces/kube-system/secrets/kubeadm-certs\": {ApiProbe.GoError(server, e)}\nTo see the stack trace of this error execute with --v=5 or higher");
                }
                if (secret is null)
                    return Fail("error execution phase control-plane-prepare/download-certs: error downloading certs: error downloading the secret: Secret \"kubeadm-certs\" was not found in the \"kube-system\" Namespace. This Secret might have expired. Please, run `kubeadm init phase upload-certs --upload-certs` on a control plane to generate a new one\nTo see the stack trace of this error execute with --v=5 or higher");
                foreach (var f in CertsUpload.Files)
                {
                    var v = secret["data"]?[CertsUpload.SecretKeyName(f)]?.GetValue<string>();
                    if (v is null) continue;
                    var target = Path.Combine(Pki, f);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.WriteAllBytes(target, CertsUpload.Decrypt(v, cfg.CertificateKey));
                }
            }
            Phase($"[download-certs] Saving the certificates to the folder: \"{Pki}\"");
            cfg.KubernetesVersion = version;
            cfg.ExternalEtcd = externalEtcd;
            WriteControlPlaneCerts(cfg, st.ControlPlaneEndpoint, newCa: false);
            Phase("[certs] Valid certificates and keys now exist in \"/etc/kubernetes/pki\"");
            Phase("[kubeconfig] Generating kubeconfig files");
            WriteKubeconfigs(cfg, st.ControlPlaneEndpoint, init: false);
            WriteManifests(cfg, clusterId, init: false);
            if (!cfg.ExternalEtcd)
            {
                Phase("[check-etcd] Checking that the etcd cluster is healthy");
                try
                {
                    EtcdClient.FromCluster(st).CheckClusterHealth(EtcdCheckTimeout);
                }
                catch (EtcdException e)
                {
                    return Fail($"error execution phase check-etcd: etcd cluster is not healthy: {e.Message}\nTo see the stack trace of this error execute with --v=5 or higher");
                }
            }
        }
        File.WriteAllText(ClusterFile, clusterId + "\n");
        File.WriteAllText("/etc/kubernetes/bootstrap-kubelet.conf", Kubeconfig.Render("https://" + st.ControlPlaneEndpoint, caPem, "tls-bootstrap-token-user", null, null, cfg.DiscoveryToken));
        cfg.KubernetesVersion = version;
        store.Update(s => ClusterObjects.Node(s, cfg.NodeName, cfg.AdvertiseAddress, version, cfg.ControlPlane));
        if (!await StartKubeletAndWaitAsync(cfg, init: false)) return 1;
        Phase("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap");
        File.WriteAllText("/etc/kubernetes/kubelet.conf", Kubeconfig.Render("https://" + st.ControlPlaneEndpoint, caPem, "default-auth", null, null));
        File.Delete("/etc/kubernetes/bootstrap-kubelet.conf");
        Pace(2000);
        if (cfg.ControlPlane)
        {
            if (!cfg.ExternalEtcd && JoinStackedEtcd(store, clusterId, cfg) is { } etcdError)
                return Fail($"error execution phase control-plane-join/etcd: {etcdError}\nTo see the stack trace of this error execute with --v=5 or higher");
            Phase($"[mark-control-plane] Marking the node {cfg.NodeName} as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]");
            Phase($"[mark-control-plane] Marking the node {cfg.NodeName} as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]");
            Console.WriteLine("""

                This node has joined the cluster and a new control plane instance was created:

                * Certificate signing request was sent to apiserver and approval was received.
                * The Kubelet was informed of the new secure connection details.
                * Control plane label and taint were applied to the new node.
                * The Kubernetes control plane instances scaled up.
                * A new etcd member was added to the local/stacked etcd cluster.

                To start administering your cluster from this node, you need to run the following as a regular user:

                	mkdir -p $HOME/.kube
                	sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
                	sudo chown $(id -u):$(id -g) $HOME/.kube/config

                Run 'kubectl get nodes' to see this node join the cluster.

                """);
        }
        else
        {
            Console.WriteLine("""

                This node has joined the cluster:
                * Certificate signing request was sent to apiserver and a response was received.
                * The Kubelet was informed of the new secure connection details.

                Run 'kubectl get nodes' on the control-plane to see this node join the cluster.

                """);
        }
        return 0;
    }
}
