using System.Globalization;
using System.Net.Sockets;

namespace KubeHa.Lab.Sim;

/// <summary>kubeadm preflight checks against the lab host's state (its /proc views, sockets and files).</summary>
internal static class Preflight
{
    public sealed record Check(string Name, string Message);

    public static List<Check> Run(bool controlPlane, bool init, KubeadmConfig cfg)
    {
        var c = new List<Check>();
        if (Environment.UserName != "root" && geteuid() != 0) { c.Add(new("IsPrivilegedUser", "user is not running as root")); return c; }
        if (controlPlane && LabEnv.Cpus < 2) c.Add(new("NumCPU", $"the number of available CPUs {LabEnv.Cpus} is less than the required 2"));
        var memMb = MemTotalMb();
        if (controlPlane && memMb < 1700) c.Add(new("Mem", $"the system RAM ({memMb} MB) is less than the minimum 1700 MB"));
        if (controlPlane)
        {
            foreach (var p in new[] { cfg.BindPort, 10259, 10257 }) if (PortInUse(p)) c.Add(new($"Port-{p}", $"Port {p} is in use"));
            foreach (var m in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd" })
            {
                var f = $"/etc/kubernetes/manifests/{m}.yaml";
                if (File.Exists(f)) c.Add(new($"FileAvailable--etc-kubernetes-manifests-{m}.yaml", $"{f} already exists"));
            }
            if (!cfg.ExternalEtcd)
            {
                foreach (var p in new[] { 2379, 2380 }) if (PortInUse(p)) c.Add(new($"Port-{p}", $"Port {p} is in use"));
                if (Directory.Exists("/var/lib/etcd") && Directory.EnumerateFileSystemEntries("/var/lib/etcd").Any())
                    c.Add(new("DirAvailable--var-lib-etcd", "/var/lib/etcd is not empty"));
            }
        }
        if (!init)
        {
            if (File.Exists("/etc/kubernetes/kubelet.conf")) c.Add(new("FileAvailable--etc-kubernetes-kubelet.conf", "/etc/kubernetes/kubelet.conf already exists"));
            if (File.Exists("/etc/kubernetes/pki/ca.crt") && !controlPlane) c.Add(new("FileAvailable--etc-kubernetes-pki-ca.crt", "/etc/kubernetes/pki/ca.crt already exists"));
        }
        if (PortInUse(10250)) c.Add(new("Port-10250", "Port 10250 is in use"));
        var cri = CriError(cfg);
        if (cri is not null) c.Add(new("CRI", cri));
        if (Swap()) c.Add(new("Swap", "running with swap on is not supported. Please disable swap"));
        var sysctl = "/run/khlab/sysctl/";
        if (!File.Exists(sysctl + "net.bridge.bridge-nf-call-iptables"))
            c.Add(new("FileContent--proc-sys-net-bridge-bridge-nf-call-iptables", "/proc/sys/net/bridge/bridge-nf-call-iptables does not exist"));
        else if (File.ReadAllText(sysctl + "net.bridge.bridge-nf-call-iptables").Trim() != "1")
            c.Add(new("FileContent--proc-sys-net-bridge-bridge-nf-call-iptables", "/proc/sys/net/bridge/bridge-nf-call-iptables contents are not set to 1"));
        var fwd = File.Exists(sysctl + "net.ipv4.ip_forward") ? File.ReadAllText(sysctl + "net.ipv4.ip_forward").Trim() : "0";
        if (fwd != "1") c.Add(new("FileContent--proc-sys-net-ipv4-ip_forward", "/proc/sys/net/ipv4/ip_forward contents are not set to 1"));
        return c;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    public static bool Swap() => File.Exists("/proc/swaps") && File.ReadAllLines("/proc/swaps").Skip(1).Any(l => l.Trim().Length > 0);

    public static int MemTotalMb()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) ?? "MemTotal: 0 kB";
        return (int)(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
    }

    public static bool PortInUse(int port)
    {
        foreach (var f in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(f)) continue;
            foreach (var line in File.ReadLines(f).Skip(1))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 4 || parts[3] != "0A") continue;
                var local = parts[1];
                if (int.Parse(local[(local.IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port) return true;
            }
        }
        return false;
    }

    public static string ResolveCriSocket(KubeadmConfig cfg, out string? error)
    {
        error = null;
        if (cfg.CriSocket.Length > 0) return cfg.CriSocket;
        var found = new[] { "unix:///var/run/containerd/containerd.sock", "unix:///var/run/crio/crio.sock" }
            .Where(s => File.Exists(s["unix://".Length..].Replace("/var/run/", "/run/", StringComparison.Ordinal))).ToList();
        if (found.Count > 1)
            error = "Found multiple CRI endpoints on the host. Please define which one do you wish to use by setting the 'criSocket' field in the kubeadm configuration file: " + string.Join(", ", found);
        return found.FirstOrDefault() ?? "unix:///var/run/containerd/containerd.sock";
    }

    private static string? CriError(KubeadmConfig cfg)
    {
        var ep = ResolveCriSocket(cfg, out var multi);
        if (multi is not null) return multi;
        var path = ep.Replace("unix://", "", StringComparison.Ordinal).Replace("/var/run/", "/run/", StringComparison.Ordinal);
        string? reason = null;
        if (!File.Exists(path)) reason = $"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix {path}: connect: no such file or directory\\\"";
        else
        {
            try
            {
                using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                s.Connect(new UnixDomainSocketEndPoint(path));
                var state = Path.Combine(Path.GetDirectoryName(path)!, "cri-state");
                if (File.Exists(state) && File.ReadAllText(state).Trim() == "cri-disabled")
                    reason = "rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService";
            }
            catch (SocketException) { reason = $"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix {path}: connect: connection refused\\\""; }
        }
        return reason is null ? null
            : $"container runtime is not running: output: time=\"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\" level=fatal msg=\"validate service connection: validate CRI v1 runtime API for endpoint \\\"{ep}\\\": {reason}\"\n, error: exit status 1";
    }

    /// <summary>Prints the checks; returns false when a non-ignored error remains (kubeadm then exits 1).</summary>
    public static bool Report(List<Check> checks, IEnumerable<string> ignore, string phase = "preflight")
    {
        var ig = ignore.SelectMany(i => i.Split(',')).Select(i => i.Trim().ToLowerInvariant()).Where(i => i.Length > 0).ToHashSet();
        var all = ig.Contains("all");
        var fatal = new List<Check>();
        foreach (var c in checks)
        {
            if (all || ig.Contains(c.Name.ToLowerInvariant())) Console.Error.WriteLine($"\t[WARNING {c.Name}]: {c.Message}");
            else fatal.Add(c);
        }
        if (fatal.Count == 0) return true;
        var sb = new System.Text.StringBuilder($"error execution phase {phase}: [preflight] Some fatal errors occurred:\n");
        foreach (var c in fatal) sb.Append($"\t[ERROR {c.Name}]: {c.Message}\n");
        sb.Append("[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n");
        sb.Append("To see the stack trace of this error execute with --v=5 or higher");
        Console.Error.WriteLine(sb.ToString());
        return false;
    }
}
