using System.Diagnostics;

namespace KubeHa.Testing;

/// <summary>Result of a finished child process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs short-lived tools (ssh-keygen, useradd, ip, visudo) by absolute name, never through a shell.</summary>
public static class ProcessRunner
{
    /// <summary>Runs a tool and returns its result; throws when it exits non-zero and <paramref name="check"/> is true.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput = null,
        bool check = true,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var result = new ProcessResult(process.ExitCode, await stdout, await stderr);
        if (check && result.ExitCode != 0)
        {
            // Arguments are shown; callers never pass secrets as arguments (they go on stdin).
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', info.ArgumentList)} exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result;
    }

    /// <summary>The absolute path of a tool in the usual system directories, or null.</summary>
    public static string? Find(string tool) =>
        new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin" }
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>The absolute path of a tool, or a clear failure naming the Debian package that provides it.</summary>
    public static string Require(string tool, string package) =>
        Find(tool) ?? throw new InvalidOperationException($"'{tool}' is not installed: apt-get install {package}.");
}
