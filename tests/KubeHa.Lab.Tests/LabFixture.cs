using Renci.SshNet;

namespace KubeHa.Lab.Tests;

/// <summary>
/// Brings the lab up once for the collection (node1-3 control planes, node4-5 load balancers, node6 worker)
/// and down at the end.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    public const int HostCount = 6;

    public LabController Lab { get; } = new();

    public LabInventory Inventory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await Lab.DownAsync(cts.Token);
        Inventory = await Lab.UpAsync(HostCount, cts.Token);
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await Lab.DownAsync(cts.Token);
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
        using var cmd = client.RunCommand(command);
        return (cmd.ExitStatus ?? -1, cmd.Result, cmd.Error);
    }

    public async Task<LabCommandResult> ExecAsync(string host, string command)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await Lab.ExecAsync(host, command, cts.Token);
    }
}

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "Lab";
}
