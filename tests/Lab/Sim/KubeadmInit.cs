using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

internal static partial class Kubeadm
{
    private static readonly string[] InitFlagsAllowedWithConfig =
        ["config", "ignore-preflight-errors", "upload-certs", "skip-phases", "dry-run", "v", "certificate-key", "skip-token-print", "skip-certificate-key-print", "token"];

    private static async Task<int> InitAsync(KubeadmArgs a)
    {
        var kubeadmVersion = KubeadmVersion;
        var cfg = new KubeadmConfig { NodeName = LabEnv.NodeName };
        if (a["config"] is { } path)
        {
            var mixed = a.Flags.Keys.Where(k => !InitFlagsAllowedWithConfig.Contains(k)).ToList();
            if (mixed.Count > 0) return Fail($"can not mix '--config' with arguments [{string.Join(' ', mixed)}]\nTo see the stack trace of this error execute with --v=5 or higher");
            var err = cfg.LoadFile(path, Minor(kubeadmVersion), "InitConfiguration");
            foreach (var w in cfg.Warnings) Console.Error.WriteLine(w);
            if (err is not null) return Fail(err + "\nTo see the stack trace of this error execute with --v=5 or higher");
        }
        else
        {
            cfg.ControlPlaneEndpoint = a["control-plane-endpoint"] ?? "";
            cfg.PodSubnet = a["pod-network-cidr"] ?? "";
            cfg.ServiceSubnet = a["service-cidr"] ?? cfg.ServiceSubnet;
            cfg.AdvertiseAddress = a["apiserver-advertise-address"] ?? "";
            if (a["apiserver-bind-port"] is { } bp) cfg.BindPort = int.Parse(bp, CultureInfo.InvariantCulture);
            cfg.CertSans.AddRange((a["apiserver-cert-extra-sans"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
            cfg.KubernetesVersion = a["kubernetes-version"] ?? "";
            cfg.NodeName = a["node-name"] ?? cfg.NodeName;
            cfg.CriSocket = a["cri-socket"] ?? "";
            if (a["token"] is { } tok) cfg.Tokens.Add(tok);
            if (a["token-ttl"] is { } ttl && Durations.TryParse(ttl, out var span)) cfg.TokenTtl = span;
        }
        if (a["certificate-key"] is { } ck) cfg.CertificateKey = ck;
        if (a["ignore-preflight-errors"] is { } ipe) cfg.IgnorePreflight.Add(ipe);
        if (cfg.AdvertiseAddress.Length == 0) cfg.AdvertiseAddress = LabEnv.Ip;
        if (cfg.KubernetesVersion is "" or "stable" or "stable-1" or "latest") cfg.KubernetesVersion = kubeadmVersion;
        if (!cfg.KubernetesVersion.StartsWith('v')) cfg.KubernetesVersion = "v" + cfg.KubernetesVersion;

        var errs = cfg.Validate(init: true);
        if (errs.Count > 0) return Fail((errs.Count == 1 ? errs[0] : "[" + string.Join(", ", errs) + "]") + "\nTo see the stack trace of this error execute with --v=5 or higher");
        var k8sMinor = Minor(cfg.KubernetesVersion);
        var kMinor = Minor(kubeadmVersion);
        if (k8sMinor < kMinor - 1)
            return Fail($"this version of kubeadm only supports deploying clusters with the control plane version >= 1.{kMinor - 1}.0. Current version: {cfg.KubernetesVersion}\nTo see the stack trace of this error execute with --v=5 or higher");

        var skip = (a["skip-phases"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        Phase($"[init] Using Kubernetes version: {cfg.KubernetesVersion}");
        Phase("[preflight] Running pre-flight checks");
        var checks = Preflight.Run(controlPlane: true, init: true, cfg);
        if (k8sMinor > kMinor)
            checks.Add(new("KubernetesVersion", $"Kubernetes version is greater than kubeadm version. Please consider to upgrade kubeadm. Kubernetes version: {cfg.KubernetesVersion.TrimStart('v')}. Kubeadm version: 1.{kMinor}.x"));
        if (!Preflight.Report(checks, cfg.IgnorePreflight)) return 1;
        Phase("[preflight] Pulling images required for setting up a Kubernetes cluster");
        Phase("[preflight] This might take a minute or two, depending on the speed of your internet connection");
        Phase("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'");
        Pace(3000);

        var clusterId = ClusterStore.NewId();
        var store = new ClusterStore(clusterId);
        var endpoint = cfg.ControlPlaneEndpoint.Length > 0
            ? (cfg.ControlPlaneEndpoint.Contains(':', StringComparison.Ordinal) ? cfg.ControlPlaneEndpoint : cfg.ControlPlaneEndpoint + ":" + cfg.BindPort)
            : $"{cfg.AdvertiseAddress}:{cfg.BindPort}";
        WriteControlPlaneCerts(cfg, endpoint, newCa: true);
        WriteKubeconfigs(cfg, endpoint, init: true);
        WriteManifests(cfg, clusterId, init: true);
        File.WriteAllText(ClusterFile, clusterId + "\n");

        store.Update(st =>
        {
            st.KubernetesVersion = cfg.KubernetesVersion;
            st.ControlPlaneEndpoint = endpoint;
            ClusterObjects.Namespaces(st);
            ClusterObjects.Node(st, cfg.NodeName, cfg.AdvertiseAddress, cfg.KubernetesVersion, controlPlane: true);
        });
        Directory.CreateDirectory(store.HeartbeatDir);

        if (!await StartKubeletAndWaitAsync(cfg, init: true)) return 1;

        Phase("[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace");
        Phase("[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration for the kubelets in the cluster");
        var caPem = File.ReadAllText(Path.Combine(Pki, "ca.crt"));
        string? certKey = null;
        var tokens = cfg.Tokens.Count > 0 ? cfg.Tokens.ToList() : [NewToken()];
        store.Update(st =>
        {
            ClusterObjects.ConfigMap(st, "kube-system", "kubeadm-config", new() { ["ClusterConfiguration"] = ClusterConfigurationYaml(cfg, endpoint) });
            ClusterObjects.ConfigMap(st, "kube-system", "kubelet-config", new() { ["kubelet"] = KubeletConfigYaml() });
            ClusterObjects.ConfigMap(st, "kube-public", "cluster-info", new()
            {
                ["kubeconfig"] = Kubeconfig.Render("https://" + endpoint, caPem, "", null, null).Split("contexts:")[0] + "contexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {}\nusers: null\n",
                ["khlab-cluster-id"] = clusterId,
            });
            ClusterObjects.ConfigMap(st, "kube-system", "kube-proxy", new() { ["config.conf"] = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n" });
        });
        if (a.Has("upload-certs") || a.Has("experimental-upload-certs"))
        {
            certKey = cfg.CertificateKey ?? CertsUpload.NewKey();
            UploadCerts(store, certKey);
        }
        Phase($"[mark-control-plane] Marking the node {cfg.NodeName} as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]");
        Phase($"[mark-control-plane] Marking the node {cfg.NodeName} as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]");
        Phase($"[bootstrap-token] Using token: {tokens[0]}");
        Phase("[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles");
        Phase("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes");
        Phase("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials");
        Phase("[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token");
        Phase("[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster");
        Phase("[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\" namespace");
        store.Update(st =>
        {
            foreach (var t in tokens)
            {
                var p = t.Split('.');
                ClusterObjects.AddToken(st, new BootstrapToken
                {
                    Id = p[0], Secret = p[1], Description = "",
                    Expires = cfg.TokenTtl == TimeSpan.Zero ? null : LabEnv.Now + cfg.TokenTtl,
                });
            }
        });
        Phase("[kubelet-finalize] Updating \"/etc/kubernetes/kubelet.conf\" to point to a rotatable kubelet client certificate and key");
        store.Update(st =>
        {
            var suffix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5))[..10];
            ClusterObjects.Pod(st, $"coredns-{suffix}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))[..5]}", cfg.NodeName, "coredns");
            ClusterObjects.Pod(st, $"coredns-{suffix}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))[..5]}", cfg.NodeName, "coredns");
        });
        Phase("[addons] Applied essential addon: CoreDNS");
        Phase("[addons] Applied essential addon: kube-proxy");
        var hash = Pki_CaHash();
        Console.WriteLine($$"""

            Your Kubernetes control-plane has initialized successfully!

            To start using your cluster, you need to run the following as a regular user:

              mkdir -p $HOME/.kube
              sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
              sudo chown $(id -u):$(id -g) $HOME/.kube/config

            Alternatively, if you are the root user, you can run:

              export KUBECONFIG=/etc/kubernetes/admin.conf

            You should now deploy a pod network to the cluster.
            Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
              https://kubernetes.io/docs/concepts/cluster-administration/addons/

            """);
        if (cfg.ControlPlaneEndpoint.Length > 0)
        {
            Console.WriteLine("You can now join any number of control-plane nodes running the following command on each as root:\n");
            Console.WriteLine($"  kubeadm join {endpoint} --token {tokens[0]} \\\n\t--discovery-token-ca-cert-hash {hash} \\\n\t--control-plane" + (certKey is null ? "" : $" --certificate-key {certKey}"));
            Console.WriteLine(certKey is null
                ? "\nPlease note that the certificate-key gives access to cluster sensitive data, keep it secret!\n"
                : "\nPlease note that the certificate-key gives access to cluster sensitive data, keep it secret!\nAs a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use\n\"kubeadm init phase upload-certs --upload-certs\" to reload certs afterward.\n");
        }
        Console.WriteLine("Then you can join any number of worker nodes by running the following on each as root:\n");
        Console.WriteLine($"kubeadm join {endpoint} --token {tokens[0]} \\\n\t--discovery-token-ca-cert-hash {hash} ");
        return 0;
    }

    internal static string Pki_CaHash() => Sim.Pki.CaCertHash(File.ReadAllText(Path.Combine(Pki, "ca.crt")));

    internal static string NewToken()
    {
        const string chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        string R(int n) => new(System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(chars, n));
        return R(6) + "." + R(16);
    }

    internal static void UploadCerts(ClusterStore store, string certKey)
    {
        Phase("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace");
        var data = CertsUpload.Encrypt(Pki, certKey);
        store.Update(st =>
        {
            st.Certs = new CertUpload { Key = "", Expires = LabEnv.Now + TimeSpan.FromHours(2), Files = data };
            var s = ClusterObjects.Meta("kubeadm-certs", "kube-system");
            s["apiVersion"] = "v1"; s["kind"] = "Secret"; s["type"] = "Opaque";
            s["data"] = new JsonObject(data.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value)));
            st.Put("", "secrets", "kube-system", s);
        });
        Phase("[upload-certs] Using certificate key:");
        Console.WriteLine(certKey);
    }

    private static int UploadCertsPhase(KubeadmArgs a)
    {
        if (!a.Has("upload-certs"))
        {
            Console.WriteLine("[upload-certs] Skipping phase. Please see --upload-certs");
            return 0;
        }
        var id = ClusterIdOrThrow();
        RequireApi("error execution phase upload-certs: unable to fetch the kubeadm-config ConfigMap");
        // As kubeadm: --certificate-key, else the InitConfiguration's certificateKey (--config), else a new key.
        var key = a["certificate-key"];
        if (key is null && a["config"] is { } path)
        {
            var cfg = new KubeadmConfig { NodeName = LabEnv.NodeName };
            var err = cfg.LoadFile(path, Minor(KubeadmVersion), "InitConfiguration");
            if (err is not null) return Fail(err + "\nTo see the stack trace of this error execute with --v=5 or higher");
            key = cfg.CertificateKey;
        }

        UploadCerts(new ClusterStore(id), key ?? CertsUpload.NewKey());
        return 0;
    }

    internal static void WriteControlPlaneCerts(KubeadmConfig cfg, string endpoint, bool newCa)
    {
        Phase($"[certs] Using certificateDir folder \"{Pki}\"");
        Directory.CreateDirectory(Path.Combine(Pki, "etcd"));
        void Ca(string b, string cn)
        {
            if (File.Exists(Path.Combine(Pki, b + ".crt"))) { Phase($"[certs] Using existing {b} certificate authority"); return; }
            Phase($"[certs] Generating \"{b}\" certificate and key");
            Sim.Pki.WriteCa(Pki, b, cn);
        }
        Ca("ca", "kubernetes");
        var host = endpoint[..endpoint.LastIndexOf(':')];
        var dns = new List<string> { "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc." + cfg.DnsDomain, cfg.NodeName };
        var ips = new List<string> { "10.96.0.1", cfg.AdvertiseAddress };
        foreach (var s in cfg.CertSans.Append(host))
        {
            if (System.Net.IPAddress.TryParse(s, out _)) { if (!ips.Contains(s)) ips.Add(s); }
            else if (!dns.Contains(s)) dns.Add(s);
        }
        Phase("[certs] Generating \"apiserver\" certificate and key");
        Phase($"[certs] apiserver serving cert is signed for DNS names [{string.Join(' ', dns)}] and IPs [{string.Join(' ', ips)}]");
        Sim.Pki.WriteLeaf(Pki, "ca", "apiserver", "CN=kube-apiserver", server: true, client: false, dns, ips);
        Phase("[certs] Generating \"apiserver-kubelet-client\" certificate and key");
        Sim.Pki.WriteLeaf(Pki, "ca", "apiserver-kubelet-client", "CN=kube-apiserver-kubelet-client, O=kubeadm:cluster-admins", false, true);
        Ca("front-proxy-ca", "front-proxy-ca");
        Phase("[certs] Generating \"front-proxy-client\" certificate and key");
        Sim.Pki.WriteLeaf(Pki, "front-proxy-ca", "front-proxy-client", "CN=front-proxy-client", false, true);
        if (!cfg.ExternalEtcd)
        {
            Ca("etcd/ca", "etcd-ca");
            string[] etcdDns = ["localhost", cfg.NodeName];
            string[] etcdIps = [cfg.AdvertiseAddress, "127.0.0.1", "::1"];
            Phase("[certs] Generating \"etcd/server\" certificate and key");
            Phase($"[certs] etcd/server serving cert is signed for DNS names [{string.Join(' ', etcdDns)}] and IPs [{string.Join(' ', etcdIps)}]");
            Sim.Pki.WriteLeaf(Pki, "etcd/ca", "etcd/server", "CN=" + cfg.NodeName, true, true, etcdDns, etcdIps);
            Phase("[certs] Generating \"etcd/peer\" certificate and key");
            Phase($"[certs] etcd/peer serving cert is signed for DNS names [{string.Join(' ', etcdDns)}] and IPs [{string.Join(' ', etcdIps)}]");
            Sim.Pki.WriteLeaf(Pki, "etcd/ca", "etcd/peer", "CN=" + cfg.NodeName, true, true, etcdDns, etcdIps);
            Phase("[certs] Generating \"etcd/healthcheck-client\" certificate and key");
            Sim.Pki.WriteLeaf(Pki, "etcd/ca", "etcd/healthcheck-client", "CN=kube-etcd-healthcheck-client", false, true);
            Phase("[certs] Generating \"apiserver-etcd-client\" certificate and key");
            Sim.Pki.WriteLeaf(Pki, "etcd/ca", "apiserver-etcd-client", "CN=kube-apiserver-etcd-client", false, true);
        }
        else
        {
            Phase("[certs] External etcd mode: Skipping etcd/ca certificate authority generation");
            Phase("[certs] External etcd mode: Skipping etcd/server certificate generation");
            Phase("[certs] External etcd mode: Skipping etcd/peer certificate generation");
            Phase("[certs] External etcd mode: Skipping etcd/healthcheck-client certificate generation");
            Phase("[certs] External etcd mode: Skipping apiserver-etcd-client certificate generation");
        }
        if (File.Exists(Path.Combine(Pki, "sa.key"))) Phase("[certs] Using the existing \"sa\" key");
        else
        {
            Phase("[certs] Generating \"sa\" key and public key");
            Sim.Pki.WriteServiceAccountKey(Pki);
        }
        Pace(1000);
    }

    internal static void WriteKubeconfigs(KubeadmConfig cfg, string endpoint, bool init)
    {
        Phase("[kubeconfig] Using kubeconfig folder \"/etc/kubernetes\"");
        var ca = File.ReadAllText(Path.Combine(Pki, "ca.crt"));
        void Conf(string file, string user, string subject, string server)
        {
            Phase($"[kubeconfig] Writing \"{file}\" kubeconfig file");
            var tmp = Path.Combine(Path.GetTempPath(), "khsim-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(tmp);
            File.Copy(Path.Combine(Pki, "ca.crt"), Path.Combine(tmp, "ca.crt"));
            File.Copy(Path.Combine(Pki, "ca.key"), Path.Combine(tmp, "ca.key"));
            Sim.Pki.WriteLeaf(tmp, "ca", "client", subject, false, true);
            File.WriteAllText(Path.Combine("/etc/kubernetes", file),
                Kubeconfig.Render(server, ca, user, File.ReadAllText(Path.Combine(tmp, "client.crt")), File.ReadAllText(Path.Combine(tmp, "client.key"))));
            File.SetUnixFileMode(Path.Combine("/etc/kubernetes", file), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.Delete(tmp, true);
        }
        var local = $"https://{cfg.AdvertiseAddress}:{cfg.BindPort}";
        Conf("admin.conf", "kubernetes-admin", "CN=kubernetes-admin, O=kubeadm:cluster-admins", "https://" + endpoint);
        if (init && Minor(cfg.KubernetesVersion) >= 29) Conf("super-admin.conf", "kubernetes-super-admin", "CN=kubernetes-super-admin, O=system:masters", "https://" + endpoint);
        if (init) Conf("kubelet.conf", "system:node:" + cfg.NodeName, $"CN=system:node:{cfg.NodeName}, O=system:nodes", "https://" + endpoint);
        Conf("controller-manager.conf", "system:kube-controller-manager", "CN=system:kube-controller-manager", local);
        Conf("scheduler.conf", "system:kube-scheduler", "CN=system:kube-scheduler", local);
    }

    /// <param name="init">init writes the one-member etcd manifest here; a joining control plane writes it later (control-plane-join/etcd).</param>
    internal static void WriteManifests(KubeadmConfig cfg, string clusterId, bool init)
    {
        Directory.CreateDirectory(Manifests);
        if (!cfg.ExternalEtcd && init)
        {
            Phase($"[etcd] Creating static Pod manifest for local etcd in \"{Manifests}\"");
            WriteEtcdManifest(clusterId, cfg.NodeName, cfg.AdvertiseAddress, [], []);
        }
        Phase($"[control-plane] Using manifest folder \"{Manifests}\"");
        var etcdServers = cfg.ExternalEtcd ? string.Join(',', cfg.ExternalEtcdEndpoints) : "https://127.0.0.1:2379";
        Phase("[control-plane] Creating static Pod manifest for \"kube-apiserver\"");
        File.WriteAllText(Path.Combine(Manifests, "kube-apiserver.yaml"), StaticPod("kube-apiserver", clusterId, "registry.k8s.io/kube-apiserver:" + cfg.KubernetesVersion,
            ["kube-apiserver", $"--advertise-address={cfg.AdvertiseAddress}", $"--secure-port={cfg.BindPort}", $"--etcd-servers={etcdServers}",
             $"--service-cluster-ip-range={cfg.ServiceSubnet}", "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt", "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
             "--client-ca-file=/etc/kubernetes/pki/ca.crt", "--authorization-mode=Node,RBAC", "--enable-bootstrap-token-auth=true"]));
        Phase("[control-plane] Creating static Pod manifest for \"kube-controller-manager\"");
        File.WriteAllText(Path.Combine(Manifests, "kube-controller-manager.yaml"), StaticPod("kube-controller-manager", clusterId, "registry.k8s.io/kube-controller-manager:" + cfg.KubernetesVersion,
            ["kube-controller-manager", "--bind-address=127.0.0.1", "--kubeconfig=/etc/kubernetes/controller-manager.conf", $"--cluster-cidr={cfg.PodSubnet}", "--leader-elect=true"]));
        Phase("[control-plane] Creating static Pod manifest for \"kube-scheduler\"");
        File.WriteAllText(Path.Combine(Manifests, "kube-scheduler.yaml"), StaticPod("kube-scheduler", clusterId, "registry.k8s.io/kube-scheduler:" + cfg.KubernetesVersion,
            ["kube-scheduler", "--bind-address=127.0.0.1", "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"]));
    }

    /// <summary>
    /// kubeadm's etcd static pod (phases/etcd/local.go getEtcdCommand): the lab's kubelet runs the machine's real etcd
    /// with these flags. An empty <paramref name="initialCluster"/> starts a new one-member cluster; a joining member
    /// lists every member and starts with --initial-cluster-state=existing.
    /// </summary>
    internal static void WriteEtcdManifest(string clusterId, string nodeName, string ip, IReadOnlyList<(string Name, string PeerUrl)> initialCluster,
        IEnumerable<(string Name, string Value)> extraArgs)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["advertise-client-urls"] = EtcdClient.ClientUrl(ip), ["cert-file"] = $"{Pki}/etcd/server.crt", ["client-cert-auth"] = "true",
            ["data-dir"] = "/var/lib/etcd",
            ["initial-advertise-peer-urls"] = EtcdClient.PeerUrl(ip),
            ["initial-cluster"] = initialCluster.Count == 0 ? $"{nodeName}={EtcdClient.PeerUrl(ip)}" : string.Join(',', initialCluster.Select(m => $"{m.Name}={m.PeerUrl}")),
            ["key-file"] = $"{Pki}/etcd/server.key", ["listen-client-urls"] = $"https://127.0.0.1:{EtcdClient.ClientPort},{EtcdClient.ClientUrl(ip)}",
            ["listen-metrics-urls"] = "http://127.0.0.1:2381", ["listen-peer-urls"] = EtcdClient.PeerUrl(ip), ["name"] = nodeName,
            ["peer-cert-file"] = $"{Pki}/etcd/peer.crt", ["peer-client-cert-auth"] = "true", ["peer-key-file"] = $"{Pki}/etcd/peer.key",
            ["peer-trusted-ca-file"] = $"{Pki}/etcd/ca.crt", ["snapshot-count"] = "10000", ["trusted-ca-file"] = $"{Pki}/etcd/ca.crt",
        };
        if (initialCluster.Count > 0) args["initial-cluster-state"] = "existing";
        // kubeadm 1.34 moved to etcd 3.6, which spells the experimental flags as a feature gate and a plain flag.
        var release = KubeadmReleases.For(KubeadmVersion);
        if (release.Etcd36Flags)
        {
            args["feature-gates"] = "InitialCorruptCheck=true";
            args["watch-progress-notify-interval"] = "5s";
        }
        else
        {
            args["experimental-initial-corrupt-check"] = "true";
            args["experimental-watch-progress-notify-interval"] = "5s";
        }
        foreach (var (k, v) in extraArgs) args[k] = v;
        Directory.CreateDirectory(Manifests);
        File.WriteAllText(Path.Combine(Manifests, "etcd.yaml"), StaticPod("etcd", clusterId, "registry.k8s.io/etcd:" + release.EtcdImageTag,
            ["etcd", .. args.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"--{p.Key}={p.Value}")],
            $"    kubeadm.kubernetes.io/etcd.advertise-client-urls: {EtcdClient.ClientUrl(ip)}\n"));
    }

    private static string StaticPod(string name, string clusterId, string image, string[] command, string annotations = "")
    {
        var sb = new System.Text.StringBuilder();
        sb.Append($"apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n{annotations}    khlab.kubeha.io/cluster: \"{clusterId}\"\n  labels:\n    component: {name}\n    tier: control-plane\n  name: {name}\n  namespace: kube-system\n");
        sb.Append($"spec:\n  containers:\n  - command:\n");
        foreach (var c in command) sb.Append($"    - {c}\n");
        sb.Append($"    image: {image}\n    name: {name}\n  hostNetwork: true\n  priorityClassName: system-node-critical\n");
        return sb.ToString();
    }

    internal static string KubeletConfigYaml() =>
        "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n" +
        "cgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nhealthzBindAddress: 127.0.0.1\nhealthzPort: 10248\nkind: KubeletConfiguration\nrotateCertificates: true\nstaticPodPath: /etc/kubernetes/manifests\n";

    private static string ClusterConfigurationYaml(KubeadmConfig cfg, string endpoint) =>
        $"apiServer: {{}}\napiVersion: kubeadm.k8s.io/{KubeadmReleases.For(KubeadmVersion).ConfigApi}\ncertificatesDir: /etc/kubernetes/pki\nclusterName: {cfg.ClusterName}\ncontrolPlaneEndpoint: {endpoint}\n" +
        $"controllerManager: {{}}\ndns: {{}}\netcd:\n" + (cfg.ExternalEtcd
            ? "  external:\n    caFile: /etc/kubernetes/pki/etcd/ca.crt\n    certFile: /etc/kubernetes/pki/apiserver-etcd-client.crt\n    endpoints:\n" + string.Concat(cfg.ExternalEtcdEndpoints.Select(e => $"    - {e}\n")) + "    keyFile: /etc/kubernetes/pki/apiserver-etcd-client.key\n"
            : "  local:\n    dataDir: /var/lib/etcd\n") + $"imageRepository: {cfg.ImageRepository}\nkind: ClusterConfiguration\nkubernetesVersion: {cfg.KubernetesVersion}\n" +
        $"networking:\n  dnsDomain: {cfg.DnsDomain}\n" + (cfg.PodSubnet.Length > 0 ? $"  podSubnet: {cfg.PodSubnet}\n" : "") + $"  serviceSubnet: {cfg.ServiceSubnet}\nscheduler: {{}}\n";
}
