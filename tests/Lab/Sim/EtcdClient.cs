using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// kubeadm's etcd client (cmd/kubeadm/app/util/etcd) for the stacked members: the machine's real etcdctl (v3 API) with
/// the etcd CA and the healthcheck-client certificate, against the endpoints kubeadm finds from the cluster (the etcd
/// pods' advertise-client-urls, here the control planes' addresses) and then synchronises from the member list.
/// Errors carry etcd client-v3's wording, which kubeadm wraps.
/// </summary>
internal sealed class EtcdClient
{
    public const int ClientPort = 2379;
    public const int PeerPort = 2380;

    public sealed record Member(ulong Id, string Name, string PeerUrl, string? ClientUrl, bool IsLearner);

    private EtcdClient(List<string> endpoints) => Endpoints = endpoints;

    public List<string> Endpoints { get; private set; }

    public static string ClientUrl(string ip) => $"https://{ip}:{ClientPort}";

    public static string PeerUrl(string ip) => $"https://{ip}:{PeerPort}";

    /// <summary>NewFromCluster: endpoints of the control planes' etcd pods, then synchronised with the member list.</summary>
    public static EtcdClient FromCluster(ClusterState st)
    {
        var endpoints = st.ControlPlanes
            .Select(n => st.Get("", "nodes", null, n)?["status"]?["addresses"]?.AsArray()
                .FirstOrDefault(x => x?["type"]?.GetValue<string>() == "InternalIP")?["address"]?.GetValue<string>())
            .OfType<string>().Select(ClientUrl).ToList();
        if (endpoints.Count == 0)
            throw new EtcdException("could not retrieve the list of etcd endpoints: etcd Pods exist, but no etcd endpoint annotations were found");
        var client = new EtcdClient(endpoints);
        try
        {
            client.Endpoints = client.ListMembers().Select(m => m.ClientUrl).OfType<string>().ToList();
        }
        catch (EtcdException e)
        {
            throw new EtcdException("error syncing endpoints with etcd: " + e.Message);
        }

        return client;
    }

    public List<Member> ListMembers()
    {
        var (ok, output) = Ctl(Endpoints, "member", "list", "-w", "json");
        if (!ok) throw new EtcdException(output);
        return (JsonNode.Parse(output)?["members"]?.AsArray() ?? []).Select(m => new Member(
            m!["ID"]!.GetValue<ulong>(), m["name"]?.GetValue<string>() ?? "", m["peerURLs"]![0]!.GetValue<string>(),
            m["clientURLs"]?.AsArray().FirstOrDefault()?.GetValue<string>(), m["isLearner"]?.GetValue<bool>() ?? false)).ToList();
    }

    /// <summary>CheckClusterHealth: every endpoint must answer a status request.</summary>
    public void CheckClusterHealth(TimeSpan perEndpoint)
    {
        foreach (var ep in Endpoints)
        {
            var sw = Stopwatch.StartNew();
            while (!Ctl([ep], "endpoint", "status").Ok)
            {
                if (sw.Elapsed > perEndpoint) throw new EtcdException($"failed to dial endpoint {ep} with maintenance client: context deadline exceeded");
                Thread.Sleep(500);
            }
        }
    }

    /// <summary>WaitForClusterAvailable: all endpoints answer within the retries, else kubeadm's timeout error.</summary>
    public void WaitForClusterAvailable(int retries, TimeSpan interval)
    {
        for (var i = 0; i < retries; i++)
        {
            if (i > 0) Thread.Sleep(interval);
            if (Endpoints.All(ep => Ctl([ep], "endpoint", "status").Ok)) return;
        }

        throw new EtcdException("timeout waiting for etcd cluster to be available");
    }

    /// <summary>
    /// AddMember / AddMemberAsLearner: the cluster's members afterwards (the new one named), its client URL added.
    /// Retried as kubeadm's addMember does (every EtcdAPICallRetryInterval, 500 ms, up to <paramref name="timeout"/>;
    /// kubeadm's EtcdAPICallTimeout is 2 min): etcd refuses a member add with "etcdserver: unhealthy cluster" while the
    /// member added just before has not been connected long enough, and kubeadm waits that out. The last error is reported.
    /// </summary>
    public List<Member> AddMember(string name, string peerUrl, bool learner, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        bool ok;
        string output;
        while (true)
        {
            (ok, output) = Ctl(Endpoints, ["member", "add", name, "--peer-urls=" + peerUrl, .. learner ? new[] { "--learner" } : []]);
            if (ok || sw.Elapsed > timeout) break;
            Thread.Sleep(500);
        }

        if (!ok) throw new EtcdException(output);
        var members = ListMembers().Select(m => m.PeerUrl == peerUrl ? m with { Name = name } : m).ToList();
        Endpoints.Add(ClientUrl(new Uri(peerUrl).Host));
        return members;
    }

    /// <summary>MemberPromote: retried (the learner must catch up with the leader first) for up to <paramref name="timeout"/>.</summary>
    public void Promote(ulong id, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var (ok, output) = Ctl(Endpoints, "member", "promote", id.ToString("x", CultureInfo.InvariantCulture));
            // Already a voting member (kubeadm checks isLearner first).
            if (ok || output == "etcdserver: can only promote a learner member") return;
            if (sw.Elapsed > timeout) throw new EtcdException(output);
            Thread.Sleep(1000);
        }
    }

    public void Remove(ulong id)
    {
        var (ok, output) = Ctl(Endpoints, "member", "remove", id.ToString("x", CultureInfo.InvariantCulture));
        if (!ok) throw new EtcdException(output);
    }

    private static (bool Ok, string Output) Ctl(IEnumerable<string> endpoints, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["ETCDCTL_API"] = "3";
        foreach (var a in (string[])["--endpoints=" + string.Join(',', endpoints), "--dial-timeout=2s", "--command-timeout=5s",
                     $"--cacert={Kubeadm.Pki}/etcd/ca.crt", $"--cert={Kubeadm.Pki}/etcd/healthcheck-client.crt", $"--key={Kubeadm.Pki}/etcd/healthcheck-client.key", .. args])
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode == 0) return (true, stdout.Result);
        // etcdctl prints retry warnings (JSON lines) and then "Error: <cause>": kubeadm reports the cause.
        var cause = stderr.Split('\n').LastOrDefault(l => l.StartsWith("Error: ", StringComparison.Ordinal))?["Error: ".Length..].Trim();
        return (false, string.IsNullOrEmpty(cause) ? "context deadline exceeded" : cause);
    }
}

internal sealed class EtcdException(string message) : Exception(message);
