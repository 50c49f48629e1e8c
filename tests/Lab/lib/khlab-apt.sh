# shellcheck shell=bash
# Simulated apt/dpkg for lab hosts. Package database: /etc/khlab/dpkg/<pkg> (version), <pkg>.hold.
# Repositories come from the host's /etc/apt/sources.list.d; `apt-get update` computes what is available.
DB=/etc/khlab/dpkg; AV=/etc/khlab/apt-available
mkdir -p "$DB" 2>/dev/null || true

K8S_PATCHES=([28]=15 [29]=15 [30]=14 [31]=13 [32]=9 [33]=5 [34]=13 [35]=11 [36]=7 [37]=3)
pkg_desc() {
  case $1 in
    kubeadm) echo "Command-line utility for administering a Kubernetes cluster" ;;
    kubelet) echo "Node agent for Kubernetes clusters" ;;
    kubectl) echo "Command-line utility for interacting with a Kubernetes cluster" ;;
    cri-tools) echo "Command-line utility for interacting with a container runtime" ;;
    kubernetes-cni) echo "Binaries required to provision kubernetes container networking" ;;
    containerd|containerd.io) echo "An open and reliable container runtime" ;;
    cri-o) echo "Open Container Initiative-based implementation of Kubernetes Container Runtime Interface" ;;
    haproxy) echo "fast and reliable load balancing reverse proxy" ;;
    keepalived) echo "Failover and monitoring daemon for LVS clusters" ;;
    *) echo "$1" ;;
  esac
}
# Packages the lab tracks (everything else is passed to the real dpkg / reported as present).
is_lab_pkg() { case $1 in kubeadm|kubelet|kubectl|cri-tools|kubernetes-cni|containerd|containerd.io|cri-o|haproxy|keepalived) return 0 ;; esac; return 1; }
installed_version() { cat "$DB/$1" 2>/dev/null; }
is_held() { [[ -f $DB/$1.hold ]]; }

# Lines "pkg version repo" from the configured sources (what `apt-get update` would see).
compute_available() {
  local srcs m
  srcs=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v '^\s*#')
  echo "containerd 1.6.20~ds1-1+b1 http://deb.debian.org/debian"
  echo "haproxy 2.6.12-1+deb12u4 http://deb.debian.org/debian"
  echo "keepalived 1:2.2.7-1+b2 http://deb.debian.org/debian"
  for m in $(grep -oE 'pkgs\.k8s\.io/core:/stable:/v1\.[0-9]+' <<<"$srcs" | grep -oE '[0-9]+$' | sort -u); do
    local p max=${K8S_PATCHES[$m]:-0}
    for p in $(seq 0 "$max"); do
      local v="1.$m.$p-1.1" r="https://pkgs.k8s.io/core:/stable:/v1.$m/deb"
      echo "kubeadm $v $r"; echo "kubelet $v $r"; echo "kubectl $v $r"
    done
    echo "cri-tools 1.$m.1-1.1 https://pkgs.k8s.io/core:/stable:/v1.$m/deb"
    echo "kubernetes-cni 1.4.0-1.1 https://pkgs.k8s.io/core:/stable:/v1.$m/deb"
  done
  for m in $(grep -oE '(pkgs\.k8s\.io/addons:/cri-o:/stable:/v1\.[0-9]+|cri-o:/stable:/v1\.[0-9]+)' <<<"$srcs" | grep -oE '[0-9]+$' | sort -u); do
    local p; for p in 0 1 2 3 4 5 6; do echo "cri-o 1.$m.$p-1.1 https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.$m/deb"; done
  done
  grep -q 'download.docker.com/linux' <<<"$srcs" && { echo "containerd.io 1.7.27-1 https://download.docker.com/linux/debian"; echo "containerd.io 1.7.25-1 https://download.docker.com/linux/debian"; }
  return 0
}

# Keyring a source line points at (signed-by=) must exist, as apt checks signatures.
check_keyrings() {
  local line kr rc=0
  while IFS= read -r line; do
    kr=$(grep -oE 'signed-by=[^] ]+' <<<"$line" | cut -d= -f2)
    [[ -z $kr || -s $kr ]] && continue
    local url; url=$(grep -oE 'https?://[^ ]+' <<<"$line" | head -1)
    echo "W: GPG error: $url  InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 234654DA9A296436"
    echo "E: The repository '$url  InRelease' is not signed."
    rc=100
  done < <(cat /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v '^\s*#')
  return $rc
}

available_versions() { awk -v p="$1" '$1==p {print $2}' "$AV" 2>/dev/null; }
latest_version() { available_versions "$1" | sort -V | tail -1; }
repo_of() { awk -v p="$1" -v v="$2" '$1==p && $2==v {print $3; exit}' "$AV" 2>/dev/null; }

pkg_deps() { case $1 in kubeadm) echo "cri-tools kubernetes-cni" ;; kubelet) echo "kubernetes-cni" ;; esac; }

# Put a package's files in place in this host (private overlays of /usr/bin, /usr/sbin, unit dir).
install_files() {
  local p=$1 v=$2 P=$KHLAB_DIR/pkgs
  case $p in
    kubeadm|kubelet|kubectl) install -m 755 "$P/bin/$p" "/usr/bin/$p" ;;
    cri-tools) install -m 755 "$P/bin/crictl" /usr/bin/crictl ;;
    kubernetes-cni) mkdir -p /opt/cni/bin 2>/dev/null || true ;;
    containerd|containerd.io) install -m 755 "$P/bin/containerd" /usr/bin/containerd
      install -m 644 "$P/units/containerd.service" /usr/lib/systemd/system/containerd.service
      # The Debian packages enable the unit (postinst), so containerd comes back when the host boots again.
      /usr/local/sbin/systemctl enable containerd >/dev/null 2>&1 || true
      mkdir -p /etc/containerd; [[ $p == containerd.io ]] && [[ ! -f /etc/containerd/config.toml ]] && printf 'disabled_plugins = ["cri"]\n' > /etc/containerd/config.toml ;;
    cri-o) install -m 755 "$P/bin/crio" /usr/bin/crio
      install -m 644 "$P/units/crio.service" /usr/lib/systemd/system/crio.service; mkdir -p /etc/crio ;;
    haproxy) install -m 755 "$KHLAB_STATE/pkgroot/haproxy" /usr/sbin/haproxy; install -m 644 "$KHLAB_STATE/pkgroot/haproxy.service" /usr/lib/systemd/system/haproxy.service
      mkdir -p /etc/haproxy; [[ -f /etc/haproxy/haproxy.cfg ]] || cp "$P/haproxy.cfg" /etc/haproxy/haproxy.cfg ;;
    keepalived) install -m 755 "$KHLAB_STATE/pkgroot/keepalived" /usr/sbin/keepalived; install -m 644 "$KHLAB_STATE/pkgroot/keepalived.service" /usr/lib/systemd/system/keepalived.service; mkdir -p /etc/keepalived ;;
  esac
  if [[ $p == kubelet ]]; then
    install -m 644 "$P/units/kubelet.service" /usr/lib/systemd/system/kubelet.service
    mkdir -p /usr/lib/systemd/system/kubelet.service.d
    install -m 644 "$P/units/10-kubeadm.conf" /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf
  fi
  echo "$v" > "$DB/$p"
}

# Removing a package of the real machine re-hides it (overlay whiteout = char device 0/0 in the upper dir).
remove_files() {
  local p=$1 H=$KHLAB_STATE/hosts/$KHLAB_NAME
  case $p in
    kubeadm|kubelet|kubectl) rm -f "/usr/bin/$p" ;;
    cri-tools) rm -f /usr/bin/crictl ;;
    containerd|containerd.io) rm -f /usr/bin/containerd /usr/lib/systemd/system/containerd.service ;;
    cri-o) rm -f /usr/bin/crio /usr/lib/systemd/system/crio.service ;;
    haproxy) rm -f /usr/sbin/haproxy /usr/lib/systemd/system/haproxy.service ;;
    keepalived) rm -f /usr/sbin/keepalived /usr/lib/systemd/system/keepalived.service ;;
  esac
  [[ $p == kubelet ]] && rm -rf /usr/lib/systemd/system/kubelet.service /usr/lib/systemd/system/kubelet.service.d
  rm -f "$DB/$p" "$DB/$p.hold"
}
