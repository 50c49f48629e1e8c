using System.Diagnostics;
using System.Text.RegularExpressions;
using KubeHa.Testing;

namespace KubeHa.Core.Tests.Security;

/// <summary>
/// An independent witness that a script carries a value only as data: the script really runs in the machine's
/// /bin/sh (dash, the shell of Debian hosts), with PATH holding only stub commands (every command a script names is
/// stubbed, found by running it until dash reports nothing "not found"), and one of them is <see cref="Marker"/>: if a
/// hostile value ever became code, the marker command runs and says so. Stubs do nothing but exit with the chosen
/// status, so both branches of "cmd || other" are reached. Runs as nobody when the tests run as root, in an empty
/// directory: a redirection into /etc fails instead of writing (a command after such a failing "&amp;&amp;" is not reached; the
/// quoting of every value is also proven by construction, see ShellScriptTests).
/// </summary>
public sealed partial class ShellWitness : IDisposable
{
    public const string Marker = "kubeha_pwned";

    private const int NobodyId = 65534;
    private readonly string _root = Directory.CreateTempSubdirectory("kubeha-witness-").FullName;
    private readonly HashSet<string> _stubs = new(StringComparer.Ordinal);

    public ShellWitness()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Work);
        FileModes.Set(_root, "777");
        FileModes.Set(Work, "777");
        FileModes.Set(Bin, "755");
        Stub(Marker, $"echo ran >> {Path.Combine(Work, "pwned.log")}; exit 0");
    }

    private string Bin => Path.Combine(_root, "bin");

    private string Work => Path.Combine(_root, "work");

    /// <summary>Runs <paramref name="script"/> with every stub exiting <paramref name="stubExit"/>; true when the marker ran.</summary>
    public async Task<bool> MarkerRanAsync(string script, int stubExit)
    {
        var file = Path.Combine(_root, $"script-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(file, script);
        FileModes.Set(file, "644");
        var log = Path.Combine(Work, "pwned.log");
        File.Delete(log);
        try
        {
            for (var round = 0; round < 8; round++)
            {
                var stderr = await RunAsync(file, stubExit);
                var missing = NotFound().Matches(stderr).Select(m => m.Groups[1].Value).Where(n => !_stubs.Contains(n)).Distinct().ToList();
                if (missing.Count == 0)
                {
                    break;
                }

                foreach (var name in missing)
                {
                    Stub(name, "exit ${KHSTUB_EXIT:-0}");
                }
            }

            return File.Exists(log);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>dash's own syntax check (<c>sh -n</c>); null when the script parses, else dash's message.</summary>
    public static async Task<string?> SyntaxErrorAsync(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-n");
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? null : error.Trim();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<string> RunAsync(string file, int stubExit)
    {
        var asNobody = Environment.UserName == "root";
        var info = new ProcessStartInfo(asNobody ? "/usr/bin/setpriv" : "/bin/sh")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Work,
        };
        if (asNobody)
        {
            foreach (var a in new[] { $"--reuid={NobodyId}", $"--regid={NobodyId}", "--clear-groups", "/bin/sh" })
            {
                info.ArgumentList.Add(a);
            }
        }

        info.ArgumentList.Add(file);
        info.Environment.Clear();
        info.Environment["PATH"] = Bin;
        info.Environment["HOME"] = Work;
        info.Environment["KHSTUB_EXIT"] = stubExit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"A script did not finish under the witness within 20 s:\n{await File.ReadAllTextAsync(file)}");
        }

        await stdout;
        return await stderr;
    }

    private void Stub(string name, string body)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        FileModes.Set(path, "755");
        _stubs.Add(name);
    }

    // dash: "script.sh: 3: kubeadm: not found"
    [GeneratedRegex(@": \d+: ([^\s:/]+): not found")]
    private static partial Regex NotFound();
}
