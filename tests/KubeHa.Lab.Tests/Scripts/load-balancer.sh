set -e
me=$(hostname -I | awk '{print $1}')
sudo apt-get install -y haproxy keepalived >/dev/null
sudo tee /etc/haproxy/haproxy.cfg >/dev/null <<CFG
global
    log stdout format raw local0
    maxconn 2000
defaults
    mode tcp
    timeout connect 2s
    timeout client 1h
    timeout server 1h
frontend kube-apiserver
    bind *:6443
    default_backend kube-apiserver
backend kube-apiserver
    option httpchk GET /healthz
    http-check expect status 200
    balance roundrobin
    default-server check check-ssl verify none inter 1s fall 2 rise 1
    server node1 10.77.0.11:6443
    server node2 10.77.0.12:6443
    server node3 10.77.0.13:6443
listen stats
    bind *:8404
    mode http
    stats enable
    stats uri /stats
CFG
prio=$1; peer=$2
sudo tee /etc/keepalived/keepalived.conf >/dev/null <<CFG
vrrp_script chk_haproxy {
  script "/usr/bin/killall -0 haproxy"
  interval 1
}
vrrp_instance VI_1 {
  state BACKUP
  # No fail-back: a recovered load balancer stays backup (the usual production choice: one VIP move per failure).
  nopreempt
  interface eth0
  virtual_router_id 51
  priority $prio
  advert_int 1
  unicast_src_ip $me
  unicast_peer { $peer }
  virtual_ipaddress { 10.77.1.10/16 dev eth0 }
}
CFG
sudo systemctl enable --now haproxy keepalived
systemctl is-active haproxy keepalived
