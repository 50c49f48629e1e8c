using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KubeHa.Testing.Processes;

/// <summary>
/// A built KubeHa application (KubeHa.Web.dll or KubeHa.Agent.dll) running as a real child process, so a test can
/// kill it the way an operator's machine would (SIGKILL: no shutdown hooks, no flushing) and start it again on the
/// same data. Output is kept (bounded) for failure messages. Disposing kills it if still running.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int MaxLines = 2000;
    private readonly Process _process;
    private readonly LinkedList<string> _output = new();
    private readonly string _workDirectory;

    private AppProcess(Process process, string name, string workDirectory)
    {
        _process = process;
        Name = name;
        _workDirectory = workDirectory;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Path of a built application next to the test run's own configuration (Debug or Release).</summary>
    public static string BuiltDll(string project, string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "src", project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assembly} is not built ({configuration}); build the solution first", path);
    }

    /// <summary>A TCP port on loopback that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A real standalone agent (src/Agent) named <paramref name="name"/>, configured through the environment as
    /// docker-compose configures it.
    /// </summary>
    public static AppProcess StartAgent(string name, IReadOnlyDictionary<string, string> environment) =>
        Start(name, BuiltDll("Agent", "KubeHa.Agent.dll"), new Dictionary<string, string>(environment)
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["KubeHa__Agent__Name"] = name,
        });

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/></c> in a fresh working directory (relative paths such as the default data
    /// directory land there, never in the build output) with the given settings added to the environment.
    /// </summary>
    public static AppProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment)
    {
        var workDirectory = Directory.CreateTempSubdirectory("kubeha-proc-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {dll}");
        var app = new AppProcess(process, name, workDirectory);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until GET <paramref name="url"/> answers 2xx; fails early with the output if the process exits.</summary>
    public async Task WaitUntilHealthyAsync(Uri url, TimeSpan within, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(url, cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow answer under load: try again.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{Name} not healthy at {url} within {within}:\n{Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would: the process gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AddLast(line);
            if (_output.Count > MaxLines)
            {
                _output.RemoveFirst();
            }
        }
    }
}
