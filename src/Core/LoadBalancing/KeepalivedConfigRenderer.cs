using System.Text;

namespace KubeHa.Core.LoadBalancing;

/// <summary>
/// Renders keepalived.conf: VRRP over unicast (works where multicast is filtered), the VIP moving away from a host
/// whose HAProxy is not running (track_script lowers its priority below every peer's).
/// </summary>
public static class KeepalivedConfigRenderer
{
    public const string ConfigPath = "/etc/keepalived/keepalived.conf";

    /// <summary>Priority of the i-th load balancer: 150, 140, ...; the track script subtracts more than the spread.</summary>
    public static int PriorityFor(int index) => 150 - (10 * index);

    public static string Render(KeepalivedInstance instance)
    {
        // Values reach a root daemon's config on a host: each must be what it claims to be (never a line break or brace).
        ConfigValues.RequireInterface(instance.Interface);
        foreach (var address in instance.Peers.Append(instance.SelfAddress).Append(instance.VirtualIp))
        {
            ConfigValues.RequireAddress(address);
        }

        var sb = new StringBuilder();
        sb.Append($$"""
            # Managed by KubeHa: changes are overwritten on the next run.
            global_defs {
                enable_script_security
                script_user root
                vrrp_startup_delay 2
            }

            vrrp_script chk_haproxy {
                script "/usr/bin/pgrep -x haproxy"
                interval 2
                timeout 2
                fall 2
                rise 2
                weight -100
            }

            vrrp_instance kube_api {
                state {{(instance.Priority >= PriorityFor(0) ? "MASTER" : "BACKUP")}}
                interface {{instance.Interface}}
                virtual_router_id {{instance.RouterId}}
                priority {{instance.Priority}}
                advert_int 1

            """);

        // A single load balancer has no peer: keepalived 2.2 refuses unicast keywords without peers (`keepalived -t`
        // exits 5, "A unicast keyword has been specified without any unicast peers"), so it advertises on its own.
        if (instance.Peers.Count > 0)
        {
            sb.AppendLine($"    unicast_src_ip {instance.SelfAddress}");
            sb.AppendLine("    unicast_peer {");
            foreach (var peer in instance.Peers)
            {
                sb.AppendLine($"        {peer}");
            }

            sb.AppendLine("    }");
        }

        sb.Append($$"""
                virtual_ipaddress {
                    {{instance.VirtualIp}}/{{instance.PrefixLength}} dev {{instance.Interface}}
                }
                track_script {
                    chk_haproxy
                }
            }

            """);
        return sb.ToString();
    }
}
