using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace KubeHa.Lab.Sim;

internal static partial class Kubeadm
{
    private static Task<int> TokenAsync(KubeadmArgs a)
    {
        var sub = a.Positional.ElementAtOrDefault(1);
        if (sub == "generate") { Console.WriteLine(NewToken()); return Task.FromResult(0); }
        var id = ClusterIdOrThrow();
        var store = new ClusterStore(id);
        switch (sub)
        {
            case "create":
            {
                var token = a.Positional.ElementAtOrDefault(2) ?? NewToken();
                if (!KubeadmConfig.TokenFormat().IsMatch(token))
                    return Task.FromResult(Fail($"bootstrapTokens[0].token: Invalid value: \"{token[..Math.Min(6, token.Length)]}...\": the bootstrap token is invalid\nTo see the stack trace of this error execute with --v=5 or higher"));
                var ttl = TimeSpan.FromHours(24);
                if (a["ttl"] is { } t && !Durations.TryParse(t, out ttl))
                    return Task.FromResult(Fail($"invalid argument \"{t}\" for \"--ttl\" flag: time: invalid duration \"{t}\""));
                RequireApi("failed to create or update bootstrap token with name bootstrap-token-" + token[..6]);
                var p = token.Split('.');
                store.Update(st => ClusterObjects.AddToken(st, new BootstrapToken
                {
                    Id = p[0], Secret = p[1], Description = a["description"] ?? "",
                    Expires = ttl == TimeSpan.Zero ? null : LabEnv.Now + ttl,
                }));
                if (a.Has("print-join-command"))
                {
                    var endpoint = store.Read().ControlPlaneEndpoint;
                    var cp = a["certificate-key"] is { } k ? $"--control-plane --certificate-key {k} " : "";
                    Console.WriteLine($"kubeadm join {endpoint} --token {token} --discovery-token-ca-cert-hash {Pki_CaHash()} {cp}");
                }
                else Console.WriteLine(token);
                return Task.FromResult(0);
            }
            case "list":
            {
                RequireApi("failed to list bootstrap tokens");
                var tokens = store.Read().Tokens;
                if (tokens.Count == 0) return Task.FromResult(0);
                Console.WriteLine($"{"TOKEN",-25} {"TTL",-11} {"EXPIRES",-22} {"USAGES",-24} {"DESCRIPTION",-58} EXTRA GROUPS");
                var now = LabEnv.Now;
                foreach (var t in tokens)
                {
                    var left = t.Expires is { } e ? e - now : (TimeSpan?)null;
                    var ttl = left is null ? "<forever>" : left.Value <= TimeSpan.Zero ? "<invalid>" : left.Value.TotalHours >= 1 ? $"{(int)left.Value.TotalHours}h" : $"{(int)left.Value.TotalMinutes}m";
                    var exp = t.Expires?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "<never>";
                    var desc = t.Description.Length == 0 ? "<none>" : t.Description;
                    Console.WriteLine($"{t.Full,-25} {ttl,-11} {exp,-22} {t.Usages,-24} {desc,-58} {t.Groups}");
                }
                return Task.FromResult(0);
            }
            case "delete":
            {
                RequireApi("failed to delete bootstrap token");
                foreach (var tok in a.Positional.Skip(2))
                {
                    var tid = tok.Split('.')[0];
                    var found = store.Update(st =>
                    {
                        var n = st.Tokens.RemoveAll(x => x.Id == tid);
                        st.Delete("", "secrets", "kube-system", "bootstrap-token-" + tid);
                        return n > 0;
                    });
                    if (!found) return Task.FromResult(Fail($"bootstrap token {tid} not found"));
                    Console.WriteLine($"bootstrap token \"{tid}\" deleted");
                }
                return Task.FromResult(0);
            }
        }
        return Task.FromResult(Fail($"unknown command \"{sub}\" for \"kubeadm token\""));
    }

    private static int CheckExpiration()
    {
        ClusterIdOrThrow();
        Phase("[check-expiration] Reading configuration from the cluster...");
        Phase("[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'");
        Console.WriteLine();
        var now = LabEnv.Now;
        string Residual(DateTime notAfter)
        {
            var left = new DateTimeOffset(notAfter.ToUniversalTime(), TimeSpan.Zero) - now;
            return left <= TimeSpan.Zero ? "<invalid>" : left.TotalDays >= 365 ? $"{(int)(left.TotalDays / 365)}y" : left.TotalDays >= 1 ? $"{(int)left.TotalDays}d" : $"{(int)left.TotalHours}h";
        }
        static string When(DateTime d) => d.ToUniversalTime().ToString("MMM dd, yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
        Console.WriteLine($"{"CERTIFICATE",-26} {"EXPIRES",-24} {"RESIDUAL TIME",-15} {"CERTIFICATE AUTHORITY",-23} EXTERNALLY MANAGED");
        (string Name, string? Path, string Ca, bool Kubeconfig)[] rows =
        [
            ("admin.conf", "/etc/kubernetes/admin.conf", "ca", true),
            ("apiserver", Pki + "/apiserver.crt", "ca", false),
            ("apiserver-etcd-client", Pki + "/apiserver-etcd-client.crt", "etcd-ca", false),
            ("apiserver-kubelet-client", Pki + "/apiserver-kubelet-client.crt", "ca", false),
            ("controller-manager.conf", "/etc/kubernetes/controller-manager.conf", "ca", true),
            ("etcd-healthcheck-client", Pki + "/etcd/healthcheck-client.crt", "etcd-ca", false),
            ("etcd-peer", Pki + "/etcd/peer.crt", "etcd-ca", false),
            ("etcd-server", Pki + "/etcd/server.crt", "etcd-ca", false),
            ("front-proxy-client", Pki + "/front-proxy-client.crt", "front-proxy-ca", false),
            ("scheduler.conf", "/etc/kubernetes/scheduler.conf", "ca", true),
            ("super-admin.conf", "/etc/kubernetes/super-admin.conf", "ca", true),
        ];
        foreach (var r in rows)
        {
            var cert = Load(r.Path!, r.Kubeconfig);
            if (cert is null) continue;
            Console.WriteLine($"{r.Name,-26} {When(cert.NotAfter),-24} {Residual(cert.NotAfter),-15} {r.Ca,-23} no");
        }
        Console.WriteLine();
        Console.WriteLine($"{"CERTIFICATE AUTHORITY",-23} {"EXPIRES",-24} {"RESIDUAL TIME",-15} EXTERNALLY MANAGED");
        foreach (var (n, p) in new[] { ("ca", "ca.crt"), ("etcd-ca", "etcd/ca.crt"), ("front-proxy-ca", "front-proxy-ca.crt") })
        {
            var cert = Load(Path.Combine(Pki, p), false);
            if (cert is null) continue;
            Console.WriteLine($"{n,-23} {When(cert.NotAfter),-24} {Residual(cert.NotAfter),-15} no");
        }
        return 0;
    }

    private static X509Certificate2? Load(string path, bool kubeconfig)
    {
        if (!File.Exists(path)) return null;
        if (!kubeconfig) return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        var line = File.ReadLines(path).FirstOrDefault(l => l.Contains("client-certificate-data:", StringComparison.Ordinal));
        return line is null ? null : X509Certificate2.CreateFromPem(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(':', 2)[1].Trim())));
    }

    private static int ConfigImages(KubeadmArgs a)
    {
        var v = a["kubernetes-version"] ?? KubeadmVersion;
        if (!v.StartsWith('v')) v = "v" + v;
        var minor = Minor(v);
        var coredns = minor >= 30 ? "v1.11.3" : "v1.11.1";
        var etcd = minor >= 31 ? "3.5.15-0" : minor == 30 ? "3.5.12-0" : "3.5.10-0";
        string[] images =
        [
            $"registry.k8s.io/kube-apiserver:{v}", $"registry.k8s.io/kube-controller-manager:{v}", $"registry.k8s.io/kube-scheduler:{v}",
            $"registry.k8s.io/kube-proxy:{v}", $"registry.k8s.io/coredns/coredns:{coredns}", $"registry.k8s.io/pause:{(minor >= 31 ? "3.10" : "3.9")}", $"registry.k8s.io/etcd:{etcd}",
        ];
        if (a.Positional.ElementAtOrDefault(2) == "list") { foreach (var i in images) Console.WriteLine(i); return 0; }
        var cfg = new KubeadmConfig { CriSocket = a["cri-socket"] ?? "" };
        var cri = Preflight.Run(false, true, cfg).FirstOrDefault(c => c.Name == "CRI");
        if (cri is not null)
            return Fail($"failed to pull image \"{images[0]}\": output: {cri.Message.Replace("container runtime is not running: output: ", "", StringComparison.Ordinal)}\nTo see the stack trace of this error execute with --v=5 or higher");
        foreach (var i in images)
        {
            Pace(700);
            Console.WriteLine($"[config/images] Pulled {i}");
            File.AppendAllText("/run/khlab/images", i + "\n");
        }
        return 0;
    }
}
