# shellcheck shell=bash
# Host lifecycle for the lab CLI: network, per-host "disk" (state dir), boot, stop, inventory.

host_dir() { echo "$STATE/hosts/$1"; }
host_ns() { echo "khlab-$1"; }
host_ip() { echo "10.77.0.$((10 + $1))"; }
host_mac() { printf '02:77:00:00:00:%02x' $((10 + $1)); }
host_uuid() { local h; h=$(printf 'khlab-%s' "$1" | md5sum | cut -c1-32); echo "${h:0:8}-${h:8:4}-${h:12:4}-${h:16:4}-${h:20:12}"; }

# Names of known hosts, in index order.
host_names() {
  local d
  [[ -d $STATE/hosts ]] || return 0
  for d in "$STATE"/hosts/*/; do [[ -f $d/index ]] && echo "$(cat "$d/index") $(basename "$d")"; done | sort -n | awk '{print $2}'
}

host_init_pid() { local f; f="$(host_dir "$1")/init.pid"; [[ -f $f ]] && cat "$f"; }

host_running() {
  local pid; pid=$(host_init_pid "$1") || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && [[ $(ip netns identify "$pid" 2>/dev/null) == "khlab-$1" ]]
}

# Run a command inside a host: its network, mount and UTS namespaces (what an SSH session sees).
host_exec() {
  local name=$1; shift
  local pid; pid=$(host_init_pid "$name") || die "no such host: $name"
  kill -0 "$pid" 2>/dev/null || die "host $name is down"
  nsenter -t "$pid" -n -m -u -- env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

ensure_base() {
  mkdir -p "$STATE/hosts" "$STATE/keys" "$STATE/clusters" "$STATE/run"
  chmod 755 "$STATE"
  [[ -f $STATE/keys/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C kubeha-lab -f "$STATE/keys/id_ed25519"
  if [[ ! -f $STATE/keys/password ]]; then
    (umask 077; openssl rand -hex 12 > "$STATE/keys/password")
  fi
  [[ -f $STATE/clock ]] || echo 0 > "$STATE/clock"
  echo "$LAB_DIR" > "$STATE/lab_dir"
  # Hosts run the shims, package payloads and simulator from a copy under $STATE (world-readable), so a
  # checkout in a private directory (e.g. /root) still works for the non-root lab users. cp overwrites
  # files in place, so running hosts (overlays over these directories) see updates.
  mkdir -p "$STATE/lab"
  cp -a "$LAB_DIR/lib" "$LAB_DIR/shims" "$LAB_DIR/pkgs" "$STATE/lab/"
  chmod -R a+rX "$STATE/lab"
  cp /proc/meminfo "$STATE/meminfo.template"
  mkdir -p "$STATE/bin" "$STATE/pkgroot"
  local f
  for f in /usr/sbin/haproxy /usr/sbin/keepalived /lib/systemd/system/haproxy.service /lib/systemd/system/keepalived.service; do
    [[ -e $f && ! -e $STATE/pkgroot/$(basename "$f") ]] && cp "$f" "$STATE/pkgroot/"
  done
  [[ -e /usr/bin/kubectl ]] && ln -sfn "$(readlink -f /usr/bin/kubectl)" "$STATE/bin/kubectl"
  # Mount points that must exist on the real root for per-host bind mounts. Record the ones we create.
  local d
  for d in /var/lib/kubelet /var/lib/etcd /var/lib/kubeha; do
    if [[ ! -d $d ]]; then mkdir -p "$d"; echo "$d" >> "$STATE/created-dirs"; fi
  done
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip link set "$BRIDGE" address 02:77:00:00:00:01
    ip addr add "$BRIDGE_IP/16" dev "$BRIDGE"
    ip link set "$BRIDGE" up
  fi
}

# First-time preparation of a host's persistent state ("disk").
prepare_host_disk() {
  local i=$1 name=node$1 H; H=$(host_dir "node$1")
  [[ -f $H/prepared ]] && return 0
  local ip; ip=$(host_ip "$i")
  mkdir -p "$H"/{etc-upper,etc-work,run,home,var-lib-kubelet,var-lib-etcd,var-lib-kubeha,sysfake/dmi/id,log,tmp,var-tmp,root} \
    "$H"/{usr-bin-upper,usr-bin-work,usr-sbin-upper,usr-sbin-work,usr-lib-systemd-upper,usr-lib-systemd-work}
  # Packages the lab simulates start out absent: hide the real machine's copies (overlay whiteouts).
  local b
  for b in kubectl kubeadm kubelet containerd containerd-shim containerd-shim-runc-v1 containerd-shim-runc-v2 ctr runc crictl crio; do
    [[ -e /usr/bin/$b ]] && mknod "$H/usr-bin-upper/$b" c 0 0
  done
  mknod "$H/usr-sbin-upper/haproxy" c 0 0; mknod "$H/usr-sbin-upper/keepalived" c 0 0
  mknod "$H/usr-lib-systemd-upper/haproxy.service" c 0 0; mknod "$H/usr-lib-systemd-upper/keepalived.service" c 0 0
  echo "$i" > "$H/index"
  chmod 1777 "$H/tmp" "$H/var-tmp"; chmod 700 "$H/root"
  local E=$H/etc-upper
  mkdir -p "$E/sudoers.d" "$E/khlab" "$E/apt/keyrings" "$E/apt/sources.list.d" "$E/systemd/system"
  # Accounts: the real /etc files plus the lab users, private to this host's /etc overlay.
  cp -p /etc/passwd /etc/shadow /etc/group "$E/"
  [[ -f /etc/gshadow ]] && cp -p /etc/gshadow "$E/"
  local kh ph; kh=$(openssl passwd -6 "$(cat "$STATE/keys/password")"); ph=$kh
  echo "$KEY_USER:x:$KEY_UID:$KEY_UID:KubeHa lab key user:/home/$KEY_USER:/bin/bash" >> "$E/passwd"
  echo "$PW_USER:x:$PW_UID:$PW_UID:KubeHa lab password user:/home/$PW_USER:/bin/bash" >> "$E/passwd"
  echo "$KEY_USER:$kh:19700:0:99999:7:::" >> "$E/shadow"
  echo "$PW_USER:$ph:19700:0:99999:7:::" >> "$E/shadow"
  echo "$KEY_USER:x:$KEY_UID:" >> "$E/group"
  echo "$PW_USER:x:$PW_UID:" >> "$E/group"
  sed -i -E "s/^(sudo:[^:]*:[^:]*:)$/\1$PW_USER/; t; s/^(sudo:[^:]*:[^:]*:.+)$/\1,$PW_USER/" "$E/group"
  if [[ -f $E/gshadow ]]; then
    printf '%s:!::\n%s:!::\n' "$KEY_USER" "$PW_USER" >> "$E/gshadow"
  fi
  echo "$KEY_USER ALL=(ALL:ALL) NOPASSWD:ALL" > "$E/sudoers.d/khlab"
  chmod 440 "$E/sudoers.d/khlab"
  echo "$name" > "$E/hostname"
  {
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$name"
    local j; for j in $(seq 1 50); do printf '%s\tnode%s\n' "$(host_ip "$j")" "$j"; done
  } > "$E/hosts"
  # A fresh cloud image: swap enabled in fstab and active.
  printf '# /etc/fstab: static file system information.\nUUID=%s / ext4 errors=remount-ro 0 1\n/swap.img\tnone\tswap\tsw\t0\t0\n' "$(host_uuid "root-$name")" > "$E/fstab"
  cat > "$E/khlab/host.env" <<EOF
KHLAB_NAME=$name
KHLAB_INDEX=$i
KHLAB_IP=$ip
KHLAB_CPUS=2
KHLAB_MEM_MB=4096
KHLAB_SWAP_KB=2097148
KHLAB_STATE=$STATE
KHLAB_DIR=$STATE/lab
EOF
  # Home directories (bind-mounted over /home inside the host).
  mkdir -p "$H/home/$KEY_USER/.ssh" "$H/home/$PW_USER"
  cp "$STATE/keys/id_ed25519.pub" "$H/home/$KEY_USER/.ssh/authorized_keys"
  chmod 700 "$H/home/$KEY_USER/.ssh"; chmod 600 "$H/home/$KEY_USER/.ssh/authorized_keys"
  chown -R "$KEY_UID:$KEY_UID" "$H/home/$KEY_USER"; chown -R "$PW_UID:$PW_UID" "$H/home/$PW_USER"
  chmod 755 "$H/home/$KEY_USER" "$H/home/$PW_USER"
  # Facts the host reports.
  host_uuid "$name" > "$H/sysfake/dmi/id/product_uuid"; chmod 400 "$H/sysfake/dmi/id/product_uuid"
  echo "KubeHa Lab Host" > "$H/sysfake/dmi/id/product_name"
  : > "$H/proc-swaps"; : > "$H/proc-meminfo"
  ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$H/ssh_host_ed25519_key"
  cat > "$H/sshd_config" <<EOF
Port 22
ListenAddress $ip
HostKey $H/ssh_host_ed25519_key
PidFile /run/sshd.pid
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication yes
PermitRootLogin no
AuthorizedKeysFile .ssh/authorized_keys
UseDNS no
MaxStartups 200:30:400
MaxSessions 100
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  touch "$H/prepared"
}

ensure_network() {
  local i=$1 name=node$1 ns; ns=$(host_ns "node$1")
  if ! ip netns list | grep -qw "^$ns"; then
    ip netns add "$ns"
  fi
  if ! ip link show "khv-$name" >/dev/null 2>&1; then
    ip link add "khv-$name" type veth peer name eth0 netns "$ns"
    ip link set "khv-$name" master "$BRIDGE"
    ip -n "$ns" link set eth0 address "$(host_mac "$i")"
    ip -n "$ns" addr add "$(host_ip "$i")/16" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    # A default route whose gateway never answers: the host has a default-route interface like a real
    # machine, and no packet can leave the lab bridge.
    ip -n "$ns" route add default via 10.77.255.254 dev eth0
  fi
  ip link set "khv-$name" up
}

# Boot: new mount + UTS namespace inside the host's netns; lib/host-boot sets up private paths, starts
# sshd and enabled services, then stays as the host's "init" (its PID is the handle for nsenter and down).
boot_host() {
  local name=$1 H; H=$(host_dir "$1")
  rm -f "$H/init.pid" "$H/ready"
  setsid ip netns exec "$(host_ns "$name")" unshare --uts --mount --propagation private -- \
    "$LAB_DIR/lib/host-boot" "$H" >> "$H/log/boot.log" 2>&1 < /dev/null 9>&- &
}

start_host() {
  local i=$1 name=node$1
  if host_running "$name"; then return 0; fi
  prepare_host_disk "$i"
  ensure_network "$i"
  boot_host "$name"
}

# Stop every process of a host (all PIDs in its network namespace: the lab started all of them).
kill_host_processes() {
  local ns; ns=$(host_ns "$1")
  ip netns list | grep -qw "^$ns" || return 0
  local pids; pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
  [[ -z ${pids// } ]] && return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  local t
  for t in $(seq 1 30); do
    pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
    [[ -z ${pids// } ]] && return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for t in $(seq 1 20); do
    [[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && return 0
    sleep 0.1
  done
}

remove_host() {
  local name=$1
  kill_host_processes "$name"
  ip link del "khv-$name" 2>/dev/null || true
  ip netns del "$(host_ns "$name")" 2>/dev/null || true
  rm -rf "$(host_dir "$name")"
}

wait_ready() {
  # Hosts boot in parallel: on 2 cores 100 of them need more than the 30 s that a handful do.
  local deadline=$((SECONDS + 30 + $# / 2)) name pending
  while :; do
    pending=
    for name in "$@"; do [[ -f $(host_dir "$name")/ready ]] || pending+=" $name"; done
    [[ -z $pending ]] && return 0
    (( SECONDS >= deadline )) && die "hosts not ready:$pending (see $STATE/hosts/*/log/boot.log)"
    sleep 0.05
  done
}

lab_up() {
  local n=$1 i name
  # Addresses 10.77.0.11-.210 and MACs ..:0b-..:d2: up to 200 hosts (the benchmark's scale run uses 102).
  [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 && n <= 200 )) || die "N must be 1..200"
  exec 9> "$STATE.lock" 2>/dev/null || { mkdir -p "$(dirname "$STATE")"; exec 9> "$STATE.lock"; }
  flock 9
  ensure_base
  "$LAB_DIR/lib/build-sim" >&2
  local names=()
  for i in $(seq 1 "$n"); do
    names+=("node$i")
    start_host "$i" &
  done
  wait
  for name in $(host_names); do
    local idx; idx=$(cat "$(host_dir "$name")/index")
    (( idx > n )) && remove_host "$name"
  done
  wait_ready "${names[@]}"
  for name in "${names[@]}"; do
    local ip; ip=$(host_ip "$(cat "$(host_dir "$name")/index")")
    local deadline=$((SECONDS + 20))
    until (exec 3<>"/dev/tcp/$ip/22") 2>/dev/null; do
      (( SECONDS >= deadline )) && die "sshd on $name ($ip) not listening"
      sleep 0.05
    done
  done
  lab_inventory
}

lab_down() {
  local name ns
  exec 9> "$STATE.lock" 2>/dev/null && { flock -w 10 9 || echo "lab: lock busy, going ahead" >&2; }
  for name in $(host_names); do kill_host_processes "$name" & done
  wait
  for ns in $(ip netns list | awk '{print $1}' | grep '^khlab-' || true); do
    local pids; pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
    # shellcheck disable=SC2086
    [[ -n ${pids// } ]] && kill -KILL $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  for name in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^khv-' || true); do
    ip link del "$name" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  if [[ -f $STATE/created-dirs ]]; then
    while read -r d; do rmdir "$d" 2>/dev/null || true; done < "$STATE/created-dirs"
  fi
  rm -rf "$STATE" "$STATE.lock"
  echo "lab: down" >&2
}

lab_status() {
  local name
  [[ -d $STATE/hosts ]] || { echo "lab: not up"; return 0; }
  printf '%-8s %-12s %-18s %-8s %s\n' NAME IP MAC STATE INIT_PID
  for name in $(host_names); do
    local i st pid; i=$(cat "$(host_dir "$name")/index")
    pid=$(host_init_pid "$name" || true)
    if host_running "$name"; then st=up; else st=down; fi
    [[ -f $(host_dir "$name")/faults ]] && st="$st($(tr '\n' ',' < "$(host_dir "$name")/faults" | sed 's/,$//'))"
    printf '%-8s %-12s %-18s %-8s %s\n' "$name" "$(host_ip "$i")" "$(host_mac "$i")" "$st" "${pid:--}"
  done
}

json_str() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

lab_inventory() {
  local name first=1 pw; pw=$(cat "$STATE/keys/password" 2>/dev/null || true)
  printf '{\n  "bridge": "%s",\n  "gateway": "%s",\n  "subnet": "10.77.0.0/16",\n  "vipRange": "10.77.1.0/24",\n  "stateDir": %s,\n  "hosts": [' "$BRIDGE" "$BRIDGE_IP" "$(json_str "$STATE")"
  for name in $(host_names); do
    local i; i=$(cat "$(host_dir "$name")/index")
    [[ $first == 1 ]] || printf ','
    first=0
    printf '\n    {"name": "%s", "ip": "%s", "sshPort": 22, "user": "%s", "privateKeyPath": %s, "password": %s, "passwordUser": "%s", "mac": "%s", "productUuid": "%s", "hostKeyPath": %s}' \
      "$name" "$(host_ip "$i")" "$KEY_USER" "$(json_str "$STATE/keys/id_ed25519")" "$(json_str "$pw")" "$PW_USER" \
      "$(host_mac "$i")" "$(host_uuid "$name")" "$(json_str "$(host_dir "$name")/ssh_host_ed25519_key.pub")"
  done
  printf '\n  ]\n}\n'
}
