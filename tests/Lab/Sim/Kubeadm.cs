using System.Diagnostics;
using System.Globalization;

namespace KubeHa.Lab.Sim;

/// <summary>Simulated kubeadm: CLI surface, output and exit codes of kubeadm 1.29-1.31 for what KubeHa uses.</summary>
internal static partial class Kubeadm
{
    public const string Pki = "/etc/kubernetes/pki";
    public const string Manifests = "/etc/kubernetes/manifests";
    public const string ClusterFile = "/etc/kubernetes/khlab-cluster";

    public static async Task<int> RunAsync(string[] argv)
    {
        var latency = LabEnv.AddedLatency;
        if (latency > TimeSpan.Zero) await Task.Delay(latency);
        var a = KubeadmArgs.Parse(argv);
        var cmd = string.Join(' ', a.Positional.Take(3));
        try
        {
            return a.Positional.FirstOrDefault() switch
            {
                "version" => Version(a),
                "init" when a.Positional.Count >= 3 && a.Positional[1] == "phase" && a.Positional[2] == "upload-certs" => UploadCertsPhase(a),
                "init" when a.Positional.Count >= 3 && a.Positional[1] == "phase" && a.Positional[2] is "certs" or "etcd" => InitPhase(a),
                "init" when a.Positional.Count >= 2 && a.Positional[1] == "phase" => Fail($"unknown command \"{a.Positional.ElementAtOrDefault(2)}\" for \"kubeadm init phase\""),
                "init" => await InitAsync(a),
                "join" => await JoinAsync(a),
                "token" => await TokenAsync(a),
                "certs" when a.Positional.ElementAtOrDefault(1) == "certificate-key" => CertificateKey(),
                "certs" when a.Positional.ElementAtOrDefault(1) == "check-expiration" => CheckExpiration(),
                "certs" when a.Positional.ElementAtOrDefault(1) == "renew" => CertsRenew(a),
                "config" when cmd.StartsWith("config images", StringComparison.Ordinal) => ConfigImages(a),
                "reset" => Reset(a),
                null => Usage(),
                var other => Fail($"unknown command \"{other}\" for \"kubeadm\"\nRun 'kubeadm --help' for usage."),
            };
        }
        catch (KubeadmException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static int Usage()
    {
        Console.WriteLine("""

            ┌──────────────────────────────────────────────────────────┐
            │ KUBEADM                                                  │
            │ Easily bootstrap a secure Kubernetes cluster             │
            └──────────────────────────────────────────────────────────┘

            Usage:
              kubeadm [command]

            Available Commands:
              certs       Commands related to handling kubernetes certificates
              config      Manage configuration for a kubeadm cluster persisted in a ConfigMap in the cluster
              init        Run this command in order to set up the Kubernetes control plane
              join        Run this on any machine you wish to join an existing cluster
              reset       Performs a best effort revert of changes made to this host by 'kubeadm init' or 'kubeadm join'
              token       Manage bootstrap tokens
              version     Print the version of kubeadm
            """);
        return 0;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }

    /// <summary>kubeadm's own version, from the installed (simulated) package.</summary>
    public static string KubeadmVersion
    {
        get
        {
            var f = "/etc/khlab/dpkg/kubeadm";
            var v = File.Exists(f) ? File.ReadAllText(f).Trim() : "1.30.4-1.1";
            return "v" + v.Split('-')[0];
        }
    }

    public static int Minor(string version) => int.Parse(version.TrimStart('v').Split('.')[1], CultureInfo.InvariantCulture);

    private static int Version(KubeadmArgs a)
    {
        var v = KubeadmVersion;
        var parts = v.TrimStart('v').Split('.');
        switch (a["o"] ?? a["output"])
        {
            case "short": Console.WriteLine(v); break;
            case "json":
                Console.WriteLine($$"""
                    {
                      "clientVersion": {
                        "major": "{{parts[0]}}",
                        "minor": "{{parts[1]}}",
                        "gitVersion": "{{v}}",
                        "gitCommit": "0000000000000000000000000000000000000000",
                        "gitTreeState": "clean",
                        "buildDate": "2024-08-14T19:08:42Z",
                        "goVersion": "go1.22.5",
                        "compiler": "gc",
                        "platform": "linux/amd64"
                      }
                    }
                    """);
                break;
            default:
                Console.WriteLine($"kubeadm version: &version.Info{{Major:\"{parts[0]}\", Minor:\"{parts[1]}\", GitVersion:\"{v}\", GitCommit:\"0000000000000000000000000000000000000000\", GitTreeState:\"clean\", BuildDate:\"2024-08-14T19:08:42Z\", GoVersion:\"go1.22.5\", Compiler:\"gc\", Platform:\"linux/amd64\"}}");
                break;
        }
        return 0;
    }

    private static int CertificateKey()
    {
        Console.WriteLine(CertsUpload.NewKey());
        return 0;
    }

    internal static void Phase(string line) => Console.WriteLine(line);

    /// <summary>Realistic profile: phases take time; fast (default): they do not.</summary>
    internal static void Pace(int realisticMs)
    {
        if (LabEnv.Profile == "realistic") Thread.Sleep(realisticMs);
    }

    internal static (int Exit, string Output) Sh(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var x in args) psi.ArgumentList.Add(x);
        psi.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o);
    }

    internal static string ClusterIdOrThrow()
    {
        if (!File.Exists("/etc/kubernetes/admin.conf"))
            throw new KubeadmException("failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher");
        return File.Exists(ClusterFile) ? File.ReadAllText(ClusterFile).Trim() : throw new KubeadmException("couldn't create a Kubernetes client from file \"/etc/kubernetes/admin.conf\"");
    }

    /// <summary>Like the real kubeadm, commands that need the API fail when it is unreachable.</summary>
    internal static void RequireApi(string what)
    {
        var server = Kubeconfig.Server("/etc/kubernetes/admin.conf") ?? "https://127.0.0.1:6443";
        var err = ApiProbe.Healthz(server, TimeSpan.FromSeconds(LabEnv.Profile == "realistic" ? 10 : 3));
        if (err is not null)
            throw new KubeadmException($"{what}: Get \"{server}/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s\": {err}\nTo see the stack trace of this error execute with --v=5 or higher");
    }
}

internal sealed class KubeadmException(string message) : Exception(message);
