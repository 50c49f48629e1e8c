using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// `kubeadm init phase certs etcd-ca|etcd-server|etcd-peer|etcd-healthcheck-client|apiserver-etcd-client [--config]` and
/// `kubeadm init phase etcd local --config`: what kubeadm's "HA etcd cluster with kubeadm" guide (seed 002 §6) runs.
/// As kubeadm does, the serving certificates are for this host's name and address plus the config's extra SANs.
/// </summary>
internal static partial class Kubeadm
{
    private static int InitPhase(KubeadmArgs a)
    {
        var phase = a.Positional.ElementAtOrDefault(2);
        var sub = a.Positional.ElementAtOrDefault(3);
        var etcd = ReadEtcdLocal(a["config"]);
        Directory.CreateDirectory(Path.Combine(Pki, "etcd"));
        string[] dns = [LabEnv.NodeName, "localhost"];
        string[] ips = [LabEnv.Ip, "127.0.0.1", "::1"];
        switch (phase, sub)
        {
            case ("certs", "etcd-ca"):
                Phase("[certs] Generating \"etcd/ca\" certificate and key");
                Sim.Pki.WriteCa(Pki, "etcd/ca", "etcd-ca");
                return 0;
            case ("certs", "etcd-server" or "etcd-peer"):
            {
                RequireEtcdCa();
                var name = sub[5..];
                var extra = sub == "etcd-server" ? etcd.ServerSans : etcd.PeerSans;
                var allDns = dns.Concat(extra.Where(s => !System.Net.IPAddress.TryParse(s, out _))).Distinct().ToArray();
                var allIps = ips.Concat(extra.Where(s => System.Net.IPAddress.TryParse(s, out _))).Distinct().ToArray();
                Phase($"[certs] Generating \"etcd/{name}\" certificate and key");
                Phase($"[certs] etcd/{name} serving cert is signed for DNS names [{string.Join(' ', allDns)}] and IPs [{string.Join(' ', allIps)}]");
                Sim.Pki.WriteLeaf(Pki, "etcd/ca", "etcd/" + name, "CN=" + LabEnv.NodeName, true, true, allDns, allIps);
                return 0;
            }
            case ("certs", "etcd-healthcheck-client"):
                RequireEtcdCa();
                Phase("[certs] Generating \"etcd/healthcheck-client\" certificate and key");
                Sim.Pki.WriteLeaf(Pki, "etcd/ca", "etcd/healthcheck-client", "CN=kube-etcd-healthcheck-client", false, true);
                return 0;
            case ("certs", "apiserver-etcd-client"):
                RequireEtcdCa();
                Phase("[certs] Generating \"apiserver-etcd-client\" certificate and key");
                Sim.Pki.WriteLeaf(Pki, "etcd/ca", "apiserver-etcd-client", "CN=kube-apiserver-etcd-client", false, true);
                return 0;
            case ("etcd", "local"):
                Phase($"[etcd] Creating static Pod manifest for local etcd in \"{Manifests}\"");
                WriteEtcdManifest("external-etcd", LabEnv.NodeName, LabEnv.Ip, [], etcd.ExtraArgs);
                return 0;
            default:
                return Fail($"unknown command \"{sub ?? phase}\" for \"kubeadm init phase{(sub is null ? "" : " " + phase)}\"");
        }
    }

    private static void RequireEtcdCa()
    {
        if (!File.Exists(Path.Combine(Pki, "etcd/ca.crt")))
        {
            throw new KubeadmException($"error execution phase certs/{"etcd"}: couldn't load etcd/ca certificate authority from {Pki}\nTo see the stack trace of this error execute with --v=5 or higher");
        }
    }

    private sealed record EtcdLocal(List<string> ServerSans, List<string> PeerSans, List<(string Name, string Value)> ExtraArgs);

    private static EtcdLocal ReadEtcdLocal(string? path)
    {
        var result = new EtcdLocal([], [], []);
        if (path is null || !File.Exists(path)) return result;
        foreach (var doc in YamlJson.ParseAll(File.ReadAllText(path)))
        {
            if (doc?["kind"]?.GetValue<string>() != "ClusterConfiguration" || doc["etcd"]?["local"] is not JsonObject local) continue;
            result.ServerSans.AddRange((local["serverCertSANs"] as JsonArray ?? []).Select(n => n!.ToString()));
            result.PeerSans.AddRange((local["peerCertSANs"] as JsonArray ?? []).Select(n => n!.ToString()));
            switch (local["extraArgs"])
            {
                case JsonObject map: result.ExtraArgs.AddRange(map.Select(p => (p.Key, p.Value!.ToString()))); break;
                case JsonArray list: result.ExtraArgs.AddRange(list.Select(n => (n!["name"]!.ToString(), n["value"]!.ToString()))); break;
            }
        }

        return result;
    }
}
