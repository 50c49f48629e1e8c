using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace KubeHa.Lab.Sim;

internal static partial class Kubeadm
{
    private static readonly string[] TokenFlagsAllowedWithConfig =
        ["config", "ignore-preflight-errors", "dry-run", "kubeconfig", "node-name", "kubeconfig-dir", "upload-certs", "print-join-command", "rootfs", "v", "log-file"];

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
                var token = a.Positional.ElementAtOrDefault(2);
                var ttl = TimeSpan.FromHours(24);
                var description = a["description"] ?? "";
                if (a["config"] is { } path)
                {
                    // kubeadm's ValidateMixedArguments: with --config only these flags (and --skip-*) may be given.
                    var mixed = a.Flags.Keys.Where(k => !TokenFlagsAllowedWithConfig.Contains(k) && !k.StartsWith("skip-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
                    if (mixed.Count > 0) return Task.FromResult(Fail($"can not mix '--config' with arguments [{string.Join(' ', mixed)}]\nTo see the stack trace of this error execute with --v=5 or higher"));
                    var cfg = new KubeadmConfig { NodeName = LabEnv.NodeName };
                    var err = cfg.LoadFile(path, Minor(KubeadmVersion), "InitConfiguration");
                    foreach (var w in cfg.Warnings) Console.Error.WriteLine(w);
                    if (err is not null) return Task.FromResult(Fail(err + "\nTo see the stack trace of this error execute with --v=5 or higher"));
                    token = cfg.Tokens.FirstOrDefault() ?? token;
                    ttl = cfg.TokenTtl;
                    description = cfg.TokenDescription;
                }
                token ??= NewToken();
                if (!KubeadmConfig.TokenFormat().IsMatch(token))
                    return Task.FromResult(Fail($"bootstrapTokens[0].token: Invalid value: \"{token[..Math.Min(6, token.Length)]}...\": the bootstrap token is invalid\nTo see the stack trace of this error execute with --v=5 or higher"));
                if (a["config"] is null && a["ttl"] is { } t && !Durations.TryParse(t, out ttl))
                    return Task.FromResult(Fail($"invalid argument \"{t}\" for \"--ttl\" flag: time: invalid duration \"{t}\""));
                RequireApi("failed to create or update bootstrap token with name bootstrap-token-" + token[..6]);
                var p = token.Split('.');
                store.Update(st => ClusterObjects.AddToken(st, new BootstrapToken
                {
                    Id = p[0], Secret = p[1], Description = description,
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

    private static int ConfigImages(KubeadmArgs a)
    {
        var v = a["kubernetes-version"] ?? KubeadmVersion;
        if (!v.StartsWith('v')) v = "v" + v;
        var release = KubeadmReleases.For(v);
        string[] images =
        [
            $"registry.k8s.io/kube-apiserver:{v}", $"registry.k8s.io/kube-controller-manager:{v}", $"registry.k8s.io/kube-scheduler:{v}",
            $"registry.k8s.io/kube-proxy:{v}", $"registry.k8s.io/coredns/coredns:{release.CoreDnsTag}", $"registry.k8s.io/pause:{release.PauseTag}",
            $"registry.k8s.io/etcd:{release.EtcdImageTag}",
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
