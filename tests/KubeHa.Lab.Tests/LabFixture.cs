using System.Text.RegularExpressions;
using Renci.SshNet;

namespace KubeHa.Lab.Tests;

/// <summary>
/// Brings the lab up once for the collection and provisions an HA cluster on it over SSH, the way KubeHa
/// would: node4/node5 HAProxy + keepalived (VIP 10.77.1.10), node1-3 control planes, node6 worker, node7 a
/// prepared spare. Everything is torn down (`lab down`) at the end.
/// </summary>
public sealed partial class LabFixture : IAsyncLifetime
{
    public const int HostCount = 7;
    public const string Vip = "10.77.1.10";
    public static readonly string[] ControlPlanes = ["node1", "node2", "node3"];

    public LabController Lab { get; } = new();

    public LabInventory Inventory { get; private set; } = null!;

    public string AdminKubeconfigPath { get; } = Path.Combine(Path.GetTempPath(), $"khlab-admin-{Environment.ProcessId}.conf");

    public string Token { get; private set; } = "";
    public string CaCertHash { get; private set; } = "";

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await Lab.DownAsync(cts.Token);
        Inventory = await Lab.UpAsync(HostCount, cts.Token);

        var lb = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scripts", "load-balancer.sh"));
        var prep = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scripts", "prepare-node.sh"));
        var tasks = new List<Task<(int Exit, string Out, string Err)>>
        {
            Task.Run(() => SshScript("node4", lb, "110 10.77.0.15")),
            Task.Run(() => SshScript("node5", lb, "100 10.77.0.14")),
        };
        tasks.AddRange(new[] { "node1", "node2", "node3", "node6", "node7" }.Select(h => Task.Run(() => SshScript(h, prep, ""))));
        foreach (var r in await Task.WhenAll(tasks)) Check(r, "host preparation");

        var init = Ssh("node1", $"sudo kubeadm init --control-plane-endpoint {Vip}:6443 --upload-certs --pod-network-cidr 10.244.0.0/16 --apiserver-advertise-address 10.77.0.11");
        Check(init, "kubeadm init");
        Token = TokenPattern().Match(init.Out).Groups[1].Value;
        CaCertHash = HashPattern().Match(init.Out).Groups[1].Value;
        var certKey = CertKeyPattern().Match(init.Out).Groups[1].Value;
        foreach (var (host, ip) in new[] { ("node2", "10.77.0.12"), ("node3", "10.77.0.13") })
            Check(Ssh(host, $"sudo kubeadm join {Vip}:6443 --token {Token} --discovery-token-ca-cert-hash {CaCertHash} --control-plane --certificate-key {certKey} --apiserver-advertise-address {ip}"), "control-plane join");
        Check(Ssh("node6", $"sudo kubeadm join {Vip}:6443 --token {Token} --discovery-token-ca-cert-hash {CaCertHash}"), "worker join");
        var admin = Ssh("node1", "sudo cat /etc/kubernetes/admin.conf");
        Check(admin, "read admin.conf");
        File.WriteAllText(AdminKubeconfigPath, admin.Out);
        var manifest = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Lab.LabScript)!, "manifests", "kube-flannel.yml"));
        using (var client = Connect("node1"))
        {
            using var cmd = client.CreateCommand("cat > /tmp/kube-flannel.yml && v=$(kubectl version --client -o json | grep -o '\"minor\": *\"[0-9]*' | grep -o '[0-9]*$'); " +
                // kubectl < 1.27 (Debian 12's kubernetes-client is 1.20) validates with OpenAPI v2 protobuf, which the lab apiserver does not serve.
                "if [ \"${v:-99}\" -lt 27 ]; then val=--validate=false; fi; sudo kubectl --kubeconfig /etc/kubernetes/admin.conf apply $val -f /tmp/kube-flannel.yml");
            var run = cmd.BeginExecute();
            using (var input = cmd.CreateInputStream()) { await input.WriteAsync(System.Text.Encoding.UTF8.GetBytes(manifest)); }
            cmd.EndExecute(run);
            if (cmd.ExitStatus != 0) throw new InvalidOperationException("CNI apply failed: " + cmd.Error);
        }

        // The collection starts only once the API answers through the VIP from this machine (the tests' vantage
        // point), not just from inside the lab where the joins ran.
        if (!await ApiReachableThroughVipAsync(TimeSpan.FromSeconds(60)))
            throw new InvalidOperationException($"the API did not answer at https://{Vip}:6443/healthz within 60 s after the cluster came up");
    }

    /// <summary>True once GET /healthz through the VIP answers 200 (VIP held, HAProxy listening, a backend UP).</summary>
    public static Task<bool> ApiReachableThroughVipAsync(TimeSpan within) => EventuallyAsync(async () =>
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            return (await http.GetAsync($"https://{Vip}:6443/healthz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }, within);

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        File.Delete(AdminKubeconfigPath);
        await Lab.DownAsync(cts.Token);
    }

    private static void Check((int Exit, string Out, string Err) r, string what)
    {
        if (r.Exit != 0) throw new InvalidOperationException($"{what} failed ({r.Exit}): {r.Err}\n{r.Out}");
    }

    public SshClient Connect(string host)
    {
        var h = Inventory[host];
        using var key = new PrivateKeyFile(h.PrivateKeyPath);
        var client = new SshClient(h.Ip, h.SshPort, h.User, key);
        client.Connect();
        return client;
    }

    /// <summary>Runs a command over SSH as the key user; returns (exit code, stdout, stderr).</summary>
    public (int Exit, string Out, string Err) Ssh(string host, string command)
    {
        using var client = Connect(host);
        using var cmd = client.CreateCommand(command);
        cmd.CommandTimeout = TimeSpan.FromMinutes(2);
        cmd.Execute();
        return (cmd.ExitStatus ?? -1, cmd.Result, cmd.Error);
    }

    private (int Exit, string Out, string Err) SshScript(string host, string script, string args)
    {
        var b64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(script));
        return Ssh(host, $"echo {b64} | base64 -d > /tmp/khlab-step.sh && bash /tmp/khlab-step.sh {args}");
    }

    public async Task<LabCommandResult> ExecAsync(string host, string command)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await Lab.ExecAsync(host, command, cts.Token);
    }

    /// <summary>Polls a condition until it holds or the deadline passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(250);
        }
        return await condition();
    }

    [GeneratedRegex(@"--token ([a-z0-9]{6}\.[a-z0-9]{16})")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"--discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})")]
    private static partial Regex HashPattern();

    [GeneratedRegex(@"--certificate-key ([0-9a-f]{64})")]
    private static partial Regex CertKeyPattern();
}

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "Lab";
}
