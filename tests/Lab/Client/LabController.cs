using System.Diagnostics;
using System.Globalization;

namespace KubeHa.Lab;

/// <summary>
/// Drives tests/Lab/lab. Requires root. One lab per machine: the CLI is idempotent, so several test
/// projects may call <see cref="UpAsync"/>; only the one that owns the lab should call <see cref="DownAsync"/>.
/// </summary>
public sealed class LabController
{
    public LabController(string? labScript = null)
    {
        LabScript = labScript ?? Environment.GetEnvironmentVariable("KUBEHA_LAB") ?? FindLabScript();
    }

    public string LabScript { get; }

    public async Task<LabInventory> UpAsync(int hosts, CancellationToken ct) =>
        LabInventory.Parse(await RunCheckedAsync(ct, "up", hosts.ToString(CultureInfo.InvariantCulture)));

    public async Task<LabInventory> InventoryAsync(CancellationToken ct) =>
        LabInventory.Parse(await RunCheckedAsync(ct, "inventory"));

    public Task DownAsync(CancellationToken ct) => RunCheckedAsync(ct, "down");

    /// <summary>Runs a shell command inside a host as root (its network, mount and UTS namespaces).</summary>
    public Task<LabCommandResult> ExecAsync(string host, string shellCommand, CancellationToken ct) =>
        RunAsync(ct, "exec", host, "/bin/bash", "-c", shellCommand);

    public Task FaultAsync(string host, LabFault fault, CancellationToken ct, string? argument = null) =>
        RunCheckedAsync(ct, argument is null ? ["fault", host, Kind(fault)] : ["fault", host, Kind(fault), argument]);

    public Task HealAsync(string host, LabFault fault, CancellationToken ct) =>
        RunCheckedAsync(ct, "heal", host, Kind(fault));

    public Task AdvanceClockAsync(TimeSpan by, CancellationToken ct) =>
        RunCheckedAsync(ct, "clock", "advance", ((long)by.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s");

    public Task ResetClockAsync(CancellationToken ct) => RunCheckedAsync(ct, "clock", "reset");

    public static string Kind(LabFault fault) => fault switch
    {
        LabFault.HostDown => "host-down",
        LabFault.NetworkCut => "network-cut",
        LabFault.ApiserverKilled => "apiserver-killed",
        LabFault.KubeletStopped => "kubelet-stopped",
        LabFault.SshDrop => "ssh-drop",
        LabFault.Slow => "slow",
        LabFault.HostKeyChanged => "host-key-changed",
        LabFault.SwapOn => "swap-on",
        LabFault.PortOccupied => "port-occupied",
        LabFault.ClockAdvance => "clock-advance",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    private async Task<string> RunCheckedAsync(CancellationToken ct, params string[] args)
    {
        var result = await RunAsync(ct, args);
        return result.Succeeded ? result.Stdout : throw new LabCommandException(string.Join(' ', args.Take(3)), result);
    }

    public async Task<LabCommandResult> RunAsync(CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo(LabScript)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new LabCommandException("cannot start " + LabScript);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        return new LabCommandResult(p.ExitCode, await stdout, await stderr);
    }

    private static string FindLabScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Lab", "lab");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tests/Lab/lab not found above " + AppContext.BaseDirectory + "; set KUBEHA_LAB");
    }
}
