# shellcheck shell=bash
# Fault injection for the lab CLI: lab fault HOST KIND [ARG] / lab heal HOST KIND.

fault_mark() { local f; f="$(host_dir "$1")/faults"; grep -qx "$2" "$f" 2>/dev/null || echo "$2" >> "$f"; }
fault_clear() { local f; f="$(host_dir "$1")/faults"; [[ -f $f ]] && sed -i "/^$2\$/d" "$f"; [[ -s $f ]] || rm -f "$f"; }

duration_seconds() {
  local d=$1
  case $d in
    *d) echo $(( ${d%d} * 86400 )) ;; *h) echo $(( ${d%h} * 3600 )) ;; *m) echo $(( ${d%m} * 60 )) ;;
    *s) echo "${d%s}" ;; *) echo "$d" ;;
  esac
}

lab_clock() {
  local verb=${1:-show}
  case $verb in
    show) echo "offset $(cat "$STATE/clock" 2>/dev/null || echo 0)s; lab time $(date -u -d "@$(( $(date +%s) + $(cat "$STATE/clock" 2>/dev/null || echo 0) ))" '+%Y-%m-%dT%H:%M:%SZ')" ;;
    advance) local s; s=$(duration_seconds "${2:?duration}"); echo $(( $(cat "$STATE/clock" 2>/dev/null || echo 0) + s )) > "$STATE/clock"; lab_clock show ;;
    reset) echo 0 > "$STATE/clock"; lab_clock show ;;
    *) die "usage: lab clock [show|advance DURATION|reset]" ;;
  esac
}

restart_sshd() {
  local name=$1 H; H=$(host_dir "$1")
  host_exec "$name" bash -c "kill \$(cat /run/sshd.pid) 2>/dev/null; for i in \$(seq 1 50); do [[ -e /proc/\$(cat /run/sshd.pid 2>/dev/null)/status ]] || break; sleep 0.05; done
    setsid /usr/sbin/sshd -D -e -f '$H/sshd_config' >> '$H/log/sshd.log' 2>&1 < /dev/null 9>&- &"
  local ip; ip=$(host_ip "$(cat "$H/index")") deadline=$((SECONDS + 10))
  until (exec 3<>"/dev/tcp/$ip/22") 2>/dev/null; do (( SECONDS >= deadline )) && die "sshd on $name did not come back"; sleep 0.05; done
}

lab_fault() {
  local name=$1 kind=$2 arg=${3:-}
  [[ -d $(host_dir "$name") ]] || die "no such host: $name"
  case $kind in
    host-down)
      kill_host_processes "$name"; ip link set "khv-$name" down ;;
    network-cut)
      ip link set "khv-$name" down ;;
    apiserver-killed)
      host_exec "$name" bash -c 'mkdir -p /run/khlab/pods; touch /run/khlab/pods/kube-apiserver.blocked; p=$(cat /run/khlab/pods/kube-apiserver.pid 2>/dev/null) && kill -9 -- -$p 2>/dev/null; exit 0' ;;
    kubelet-stopped)
      host_exec "$name" systemctl stop kubelet ;;
    ssh-drop)
      # Kill every SSH session on the host (commands in flight die with them); the listener stays.
      host_exec "$name" bash -c 'tree() { local c; for c in $(pgrep -P "$1"); do tree "$c"; done; kill -9 "$1" 2>/dev/null; }
        l=$(cat /run/sshd.pid); for p in $(pgrep -P "$l"); do tree "$p"; done; exit 0'
      return 0 ;;
    slow)
      host_exec "$name" bash -c "echo '${arg:-2}' > /etc/khlab/slow" ;;
    host-key-changed)
      local H; H=$(host_dir "$name")
      [[ -f $H/ssh_host_ed25519_key.orig ]] || { cp -p "$H/ssh_host_ed25519_key" "$H/ssh_host_ed25519_key.orig"; cp -p "$H/ssh_host_ed25519_key.pub" "$H/ssh_host_ed25519_key.pub.orig"; }
      rm -f "$H/ssh_host_ed25519_key" "$H/ssh_host_ed25519_key.pub"
      ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$H/ssh_host_ed25519_key"
      restart_sshd "$name" ;;
    swap-on)
      host_exec "$name" swapon /swap.img ;;
    port-occupied)
      local port=${arg:-6443}
      host_exec "$name" bash -c "mkdir -p /run/khlab/faults; setsid socat TCP-LISTEN:$port,fork,reuseaddr SYSTEM:true </dev/null >/dev/null 2>&1 9>&- & echo \$! > /run/khlab/faults/port-$port.pid"
      kind=port-occupied:$port ;;
    clock-advance)
      lab_clock advance "${arg:-25h}" >/dev/null ;;
    *) die "unknown fault: $kind" ;;
  esac
  fault_mark "$name" "$kind"
}

lab_heal() {
  local name=$1 kind=$2
  [[ -d $(host_dir "$name") ]] || die "no such host: $name"
  case $kind in
    host-down)
      ip link set "khv-$name" up
      if ! host_running "$name"; then boot_host "$name"; wait_ready "$name"; fi
      local ip; ip=$(host_ip "$(cat "$(host_dir "$name")/index")") deadline=$((SECONDS + 10))
      until (exec 3<>"/dev/tcp/$ip/22") 2>/dev/null; do (( SECONDS >= deadline )) && die "sshd on $name not listening"; sleep 0.05; done ;;
    network-cut) ip link set "khv-$name" up ;;
    apiserver-killed) host_exec "$name" rm -f /run/khlab/pods/kube-apiserver.blocked ;;
    kubelet-stopped) host_exec "$name" systemctl start kubelet ;;
    ssh-drop) ;;
    slow) host_exec "$name" rm -f /etc/khlab/slow ;;
    host-key-changed)
      local H; H=$(host_dir "$name")
      if [[ -f $H/ssh_host_ed25519_key.orig ]]; then
        mv -f "$H/ssh_host_ed25519_key.orig" "$H/ssh_host_ed25519_key"; mv -f "$H/ssh_host_ed25519_key.pub.orig" "$H/ssh_host_ed25519_key.pub"
        restart_sshd "$name"
      fi ;;
    swap-on) host_exec "$name" swapoff -a ;;
    port-occupied*)
      host_exec "$name" bash -c 'for f in /run/khlab/faults/port-*.pid; do [[ -f $f ]] && kill $(cat $f) 2>/dev/null; rm -f $f; done; exit 0'
      local f; f="$(host_dir "$name")/faults"; [[ -f $f ]] && sed -i '/^port-occupied/d' "$f"; [[ -s $f ]] || rm -f "$f"; return 0 ;;
    clock-advance) lab_clock reset >/dev/null ;;
    *) die "unknown fault: $kind" ;;
  esac
  fault_clear "$name" "$kind"
}
