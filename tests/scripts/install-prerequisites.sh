#!/usr/bin/env bash
# Installs the Debian packages KubeHa's tests use, when they are missing. Idempotent; needs root (or sudo).
#   real OpenSSH servers (one per simulated host), sudo, HAProxy, keepalived, etcd, socat, iproute2, openssl,
#   Chromium (browser tests), kubectl (lab fidelity), docker-compose (offline validation of docker-compose.yml),
#   PostgreSQL (scale-out tests: initdb/pg_ctl from /usr/lib/postgresql/N/bin, run as the postgres user via runuser),
#   ansible-core (bench/: the ansible-playbook KubeHa is compared with).
set -euo pipefail

packages=(openssh-server openssh-client sudo haproxy keepalived etcd-server etcd-client socat iproute2 openssl gnupg procps
          iptables chromium fonts-dejavu-core docker-compose sqlite3 postgresql ca-certificates ansible-core)
# Debian's kubectl comes in kubernetes-client; some images already carry a kubectl package that owns /usr/bin/kubectl.
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing test prerequisites: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
mkdir -p /run/sshd 2>/dev/null || true
