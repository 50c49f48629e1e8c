using System.Globalization;
using System.Text.RegularExpressions;
using KubeHa.Core.Hosts;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning;

/// <summary>The POSIX sh script (run as root) whose key=value output <see cref="Parse"/> turns into a <see cref="NodeState"/>.</summary>
public static partial class NodeStateScript
{
    public static ShellScript Text => $$"""
        b() { if "$@" >/dev/null 2>&1; then echo 1; else echo 0; fi; }
        echo "swap_active=$(b sh -c '[ "$(tail -n +2 /proc/swaps 2>/dev/null | wc -l)" -gt 0 ]')"
        echo "swap_fstab=$(b grep -Eq '^[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]' /etc/fstab)"
        echo "modules=$(b sh -c '[ -d /sys/module/overlay ] && [ -d /sys/module/br_netfilter ]')"
        echo "sysctl=$(b sh -c '[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] && [ "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables)" = 1 ]')"
        echo "containerd=$(b command -v containerd)"
        echo "containerd_systemd=$(b grep -q 'SystemdCgroup = true' /etc/containerd/config.toml)"
        echo "crio=$(b command -v crio)"
        echo "crio_systemd=$(b grep -rqs 'cgroup_manager = "systemd"' /etc/crio)"
        echo "kubeadm=$(kubeadm version -o short 2>/dev/null)"
        echo "kubelet=$(kubelet --version 2>/dev/null | awk '{print $2}')"
        echo "held=$(apt-mark showhold 2>/dev/null | grep -c -E '^(kubelet|kubeadm|kubectl)$')"
        echo "haproxy=$(b command -v haproxy)"
        echo "keepalived=$(b command -v keepalived)"
        echo "admin_conf=$(b test -f /etc/kubernetes/admin.conf)"
        echo "kubelet_conf=$(b test -f /etc/kubernetes/kubelet.conf)"
        echo "etcd_manifest=$(b test -f /etc/kubernetes/manifests/etcd.yaml)"
        echo "etcd_ca=$(b test -f /etc/kubernetes/pki/etcd/ca.crt)"
        if command -v apt-get >/dev/null 2>&1; then echo pkg=apt; elif command -v dnf >/dev/null 2>&1; then echo pkg=dnf; else echo pkg=none; fi
        ip -o -4 addr show 2>/dev/null | awk '{print "addr=" $2 " " $4}'
        {{StepMarkers.ListScript}}
        """;

    public static NodeState Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var addresses = new List<InterfaceAddress>();
        var completed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (key, value) = (line[..eq], line[(eq + 1)..].Trim());
            if (key == "addr" && value.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var nic, var cidr])
            {
                // The host reports these; only well-formed ones are kept (the interface name reaches keepalived.conf).
                var name = nic.Split('@')[0];
                if (ConfigValues.IsInterfaceName(name) && cidr.Split('/') is [var ip, var prefix] && HostInputRules.IsCanonicalIPv4(ip) &&
                    int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits <= 32)
                {
                    addresses.Add(new InterfaceAddress(name, cidr));
                }
            }
            else if (key == "done")
            {
                if (MarkerRegex().IsMatch(value))
                {
                    completed.Add(value);
                }
            }
            else
            {
                values[key] = value;
            }
        }

        bool Flag(string key) => values.TryGetValue(key, out var v) && v == "1";
        string? Text(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        return new NodeState
        {
            SwapActive = Flag("swap_active"),
            SwapInFstab = Flag("swap_fstab"),
            ModulesLoaded = Flag("modules"),
            SysctlApplied = Flag("sysctl"),
            ContainerdInstalled = Flag("containerd"),
            ContainerdSystemdCgroup = Flag("containerd_systemd"),
            CrioInstalled = Flag("crio"),
            CrioSystemdCgroup = Flag("crio_systemd"),
            KubeadmVersion = Text("kubeadm"),
            KubeletVersion = Text("kubelet"),
            KubePackagesHeld = int.TryParse(Text("held"), NumberStyles.None, CultureInfo.InvariantCulture, out var held) && held >= 3,
            HaproxyInstalled = Flag("haproxy"),
            KeepalivedInstalled = Flag("keepalived"),
            HasAdminConf = Flag("admin_conf"),
            HasKubeletConf = Flag("kubelet_conf"),
            HasEtcdManifest = Flag("etcd_manifest"),
            HasEtcdCa = Flag("etcd_ca"),
            PackageManager = Text("pkg") ?? "none",
            Addresses = addresses,
            CompletedSteps = completed,
        };
    }

    [GeneratedRegex("^[0-9]{1,9}/[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex MarkerRegex();
}
