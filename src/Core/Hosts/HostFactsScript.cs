using KubeHa.Core.Remote;

namespace KubeHa.Core.Hosts;

/// <summary>
/// The POSIX sh script that gathers every fact in one round trip, run as root (product_uuid is root-only). Each
/// section starts with a line <c>::kubeha::NAME</c>; <see cref="HostFactsParser"/> reads them. It reads exactly the
/// paths the simulated lab hosts bind-mount: /etc/os-release, /proc/meminfo, /proc/swaps, /sys/class/net/*/address,
/// /sys/class/dmi/id/product_uuid, /proc/net/tcp{,6}.
/// </summary>
public static class HostFactsScript
{
    public const string Marker = "::kubeha::";

    public static ShellScript Text => $$"""
        s() { printf '\n::kubeha::%s\n' "$1"; }
        s os-release; cat /etc/os-release 2>/dev/null
        s kernel; uname -r
        s arch; uname -m
        s nproc; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN
        s meminfo; grep '^MemTotal:' /proc/meminfo
        s swaps; cat /proc/swaps 2>/dev/null
        s net
        for d in /sys/class/net/*; do
          n=${d##*/}
          [ "$n" = lo ] && continue
          [ -r "$d/address" ] && printf '%s %s\n' "$n" "$(cat "$d/address" 2>/dev/null)"
        done
        s product-uuid; cat /sys/class/dmi/id/product_uuid 2>/dev/null
        s hostname; hostname 2>/dev/null || cat /proc/sys/kernel/hostname
        s cgroup-fs; stat -fc %T /sys/fs/cgroup 2>/dev/null
        if command -v ss >/dev/null 2>&1; then
          s ss; ss -Hltn 2>/dev/null
        else
          s proc-net-tcp; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null
        fi
        s end
        """;
}
