using System.Text;
using System.Text.RegularExpressions;
using KubeHa.Core.Hosts;

namespace KubeHa.Core.LoadBalancing;

/// <summary>
/// Renders haproxy.cfg in the style of seed 000 and the kubeadm HA guide: TCP passthrough to the API servers, health
/// checked over TLS on /healthz, round robin; a stats socket at <see cref="StatsSocket"/> (mode 660, level admin) from
/// which KubeHa reads backend health (<c>show stat</c>).
/// </summary>
public static partial class HaproxyConfigRenderer
{
    public const string ConfigPath = "/etc/haproxy/haproxy.cfg";
    public const string StatsSocket = "/run/haproxy/admin.sock";
    public const string ApiBackend = "kube-apiserver";
    public const string HttpBackend = "ingress-http";
    public const string HttpsBackend = "ingress-https";

    public static string Render(HaproxyConfig config)
    {
        // Values reach a root daemon's config on a host: each must be what it claims to be (never a line break).
        ConfigValues.RequireBind(config.Bind);
        foreach (var server in config.ApiServers.Concat(config.IngressWorkers))
        {
            ConfigValues.RequireAddress(server.Address);
        }

        var sb = new StringBuilder();
        sb.Append($"""
            # Managed by KubeHa: changes are overwritten on the next run.
            global
                log /dev/log local0
                stats socket {StatsSocket} mode 660 level admin
                stats timeout 30s
                user haproxy
                group haproxy

            defaults
                log global
                mode tcp
                option tcplog
                option dontlognull
                timeout connect 5s
                # A control plane listed but not (yet) serving refuses the connection: try another one instead of
                # failing the client (add-nodes lists new control planes before they join).
                retries 3
                option redispatch 1
                # API watches stay open for long; keep idle TCP sessions.
                timeout client 1h
                timeout server 1h
                timeout check 5s

            frontend {ApiBackend}
                bind {config.Bind}
                mode tcp
                option tcplog
                default_backend {ApiBackend}

            backend {ApiBackend}
                mode tcp
                option httpchk GET /healthz
                http-check expect status 200
                balance roundrobin
                default-server inter 2s fall 3 rise 2

            """);
        foreach (var server in config.ApiServers)
        {
            sb.AppendLine($"    server {ServerName(server.Name)} {HostPort(server)} check check-ssl verify none");
        }

        if (config.Ingress is { } ingress)
        {
            AppendIngress(sb, HttpBackend, 80, ingress.HttpNodePort, config.IngressWorkers);
            AppendIngress(sb, HttpsBackend, 443, ingress.HttpsNodePort, config.IngressWorkers);
        }

        return sb.ToString();
    }

    /// <summary>HAProxy server names allow letters, digits and "-_.:"; anything else becomes "-".</summary>
    public static string ServerName(string name) => Unsafe().Replace(name, "-");

    private static void AppendIngress(StringBuilder sb, string name, int port, int nodePort, IReadOnlyList<HaproxyServer> workers)
    {
        sb.AppendLine();
        sb.AppendLine($"frontend {name}");
        sb.AppendLine($"    bind *:{port}");
        sb.AppendLine("    mode tcp");
        sb.AppendLine($"    default_backend {name}");
        sb.AppendLine();
        sb.AppendLine($"backend {name}");
        sb.AppendLine("    mode tcp");
        sb.AppendLine("    balance roundrobin");
        sb.AppendLine("    default-server inter 2s fall 3 rise 2");
        foreach (var worker in workers)
        {
            sb.AppendLine($"    server {ServerName(worker.Name)} {HostPort(worker with { Port = nodePort })} check");
        }
    }

    private static string HostPort(HaproxyServer s) => NetworkAddress.HostPort(s.Address, s.Port);

    [GeneratedRegex("[^A-Za-z0-9_.:-]")]
    private static partial Regex Unsafe();
}
