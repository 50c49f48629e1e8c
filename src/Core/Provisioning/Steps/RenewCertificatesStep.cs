using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Provisioning.Rendering;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning.Steps;

/// <summary>
/// Renews a control plane's kubeadm certificates without taking the API away from its clients, one control plane at a
/// time: <c>kubeadm certs renew all</c> (new files only; running components keep the old certificates), the node's API
/// server put in maintenance on every HAProxy so no new connection goes to it, its static pods restarted the way the
/// kubeadm documentation says (manifests moved out of /etc/kubernetes/manifests until the kubelet has stopped them, then
/// back), then wait until its API server answers /readyz serving the renewed certificate (same serial as
/// apiserver.crt), its stacked etcd member is healthy, and its HAProxy backends are UP again before the next node.
/// External etcd members' certificates are KubeHa's own (generate-etcd-certificates) and are not renewed here.
/// </summary>
public sealed class RenewCertificatesStep : Step
{
    /// <summary>Where the static pod manifests wait while the kubelet stops their pods (same filesystem: a rename).</summary>
    public const string PausedManifests = "/etc/kubernetes/kubeha-restarting";

    private const string Manifests = "/etc/kubernetes/manifests";
    private static readonly string[] StaticPods = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"];

    public override string Key => "renew-certificates";

    public override string Title => "Renew certificates, one control plane at a time";

    public override Fanout Fanout => Fanout.OneAtATime;

    public override TimeSpan Timeout => TimeSpan.FromMinutes(12);

    public override IReadOnlyList<ClusterMember> SelectHosts(PlanContext context) => context.ControlPlanes.ToList();

    public override async Task RunAsync(HostSession host, CancellationToken cancellationToken)
    {
        var context = host.Context;

        // A previous attempt that stopped half-way left manifests aside: put them back before anything else.
        await host.RunAsync(RestoreManifests(), cancellationToken);
        await host.RunAsync($"kubeadm certs renew all", cancellationToken);

        await SetServerStateAsync(host, "maint", cancellationToken);
        await host.RunAsync(RestartStaticPods(context.Spec, StopWaitSeconds), cancellationToken);
        await WaitForApiServerAsync(host, cancellationToken);
        if (context.Spec.EtcdTopology == EtcdTopology.Stacked)
        {
            await host.RunAsync(WaitForEtcd(context.Spec, host.Host.Address, host.NodeName, ReadyWaitSeconds), cancellationToken);
        }

        await SetServerStateAsync(host, "ready", cancellationToken);
        await WaitForBackendsUpAsync(host, cancellationToken);
        host.Note($"{host.NodeName}: certificates renewed, static pods restarted, API server, etcd and load balancers healthy");
    }

    public override async Task CleanUpAsync(HostSession host, CancellationToken cancellationToken)
    {
        await host.TryRunAsync(RestoreManifests(), cancellationToken);
        await SetServerStateAsync(host, "ready", cancellationToken, tolerateFailures: true);
    }

    private const int StopWaitSeconds = 90;
    private const int ReadyWaitSeconds = 240;

    /// <summary>Moves the manifests aside, waits until the runtime runs none of those containers, moves them back.</summary>
    public static ShellScript RestartStaticPods(ClusterSpec spec, int stopWaitSeconds)
    {
        ShellScript crictl = $"crictl --runtime-endpoint {ContainerRuntimes.CriSocket(spec.ContainerRuntime)}";
        var pattern = "^(" + string.Join('|', StaticPods) + ")$";
        return $$"""
            set -e
            mkdir -p {{PausedManifests}}
            for m in {{StaticPods}}; do if [ -f {{Manifests}}/"$m".yaml ]; then mv {{Manifests}}/"$m".yaml {{PausedManifests}}/; echo "moved $m.yaml aside"; fi; done
            i=0
            while [ -n "$({{crictl}} ps -q --name {{pattern}} 2>/dev/null)" ]; do
              i=$((i+1)); if [ $i -gt {{stopWaitSeconds}} ]; then
                {{RestoreManifests()}}
                echo "the kubelet did not stop the control-plane containers within {{stopWaitSeconds}} s (crictl ps; journalctl -u kubelet)" >&2; exit 1
              fi
              sleep 1
            done
            echo "control-plane containers stopped after $i s"
            {{RestoreManifests()}}
            """;
    }

    /// <summary>Moves any manifest left in <see cref="PausedManifests"/> back where the kubelet reads it.</summary>
    public static ShellScript RestoreManifests() => $$"""
        if [ -d {{PausedManifests}} ]; then for f in {{PausedManifests}}/*.yaml; do if [ -f "$f" ]; then mv "$f" {{Manifests}}/; echo "restored $(basename "$f")"; fi; done; rmdir {{PausedManifests}} 2>/dev/null || true; fi
        """;

    /// <summary>
    /// Waits until the node's own API server answers /readyz and serves the certificate in apiserver.crt (compared by
    /// serial with openssl when the host has it: a process still serving the old certificate is not done).
    /// </summary>
    public static ShellScript WaitForApiServer(string address, int port, int waitSeconds)
    {
        var server = NetworkAddress.Url("https", address, port);
        var connect = NetworkAddress.HostPort(address, port);
        return $$"""
            i=0
            until [ "$({{Kubectl.Admin}} --server {{server}} --request-timeout=5s get --raw=/readyz 2>/dev/null)" = ok ]; do
              i=$((i+1)); if [ $i -gt {{waitSeconds}} ]; then echo the API server on {{connect}} is not ready after {{waitSeconds}} s "(crictl ps; crictl logs of kube-apiserver)" >&2; exit 1; fi
              sleep 1
            done
            echo API server on {{connect}} ready after "$i" s
            if command -v openssl >/dev/null 2>&1; then
              want=$(openssl x509 -noout -serial -in {{KubeadmPaths.ApiServerCert}})
              j=0
              while :; do
                got=$(openssl s_client -connect {{connect}} </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null || true)
                [ "$got" = "$want" ] && break
                j=$((j+1)); if [ $j -gt 30 ]; then echo the API server on {{connect}} still serves "$got, not the renewed certificate ($want)" >&2; exit 1; fi
                sleep 1
              done
              echo "API server serves the renewed certificate ($want)"
            else
              echo "openssl is not installed: the served certificate was not compared with apiserver.crt"
            fi
            """;
    }

    /// <summary>Waits until the node's stacked etcd member answers <c>endpoint health</c>.</summary>
    public static ShellScript WaitForEtcd(ClusterSpec spec, string address, string nodeName, int waitSeconds) => $$"""
        {{Etcdctl.On(spec, address, nodeName)}}
        i=0
        until {{Etcdctl.Command}} endpoint health >/dev/null 2>&1; do
          i=$((i+1)); if [ $i -gt {{waitSeconds}} ]; then {{Etcdctl.Command}} endpoint health >&2; echo "the etcd member of this node is not healthy after {{waitSeconds}} s" >&2; exit 1; fi
          sleep 1
          {{Etcdctl.On(spec, address, nodeName)}}
        done
        echo "etcd member healthy after $i s"
        """;

    /// <summary>HAProxy's runtime API: <c>set server kube-apiserver/NODE state maint|ready</c>; empty output is success.</summary>
    public static ShellScript SetServerState(string server, string state) =>
        $"echo set server {HaproxyConfigRenderer.ApiBackend + "/" + HaproxyConfigRenderer.ServerName(server)} state {state} | socat stdio {HaproxyConfigRenderer.StatsSocket}";

    private static Task WaitForApiServerAsync(HostSession host, CancellationToken cancellationToken) =>
        host.RunAsync(WaitForApiServer(host.Host.Address, host.Context.Spec.ApiServerPort, ReadyWaitSeconds), cancellationToken);

    private static async Task SetServerStateAsync(HostSession host, string state, CancellationToken cancellationToken, bool tolerateFailures = false)
    {
        foreach (var balancer in host.Context.LoadBalancerHosts)
        {
            try
            {
                var session = await host.Context.SessionAsync(balancer, cancellationToken);
                var answer = (await session.RunAsync(SetServerState(host.NodeName, state), cancellationToken)).Output.Trim();
                if (answer.Length > 0 && !session.IsDryRun)
                {
                    throw new StepFailedException(balancer.Name, $"set server {host.NodeName} state {state}", null, answer,
                        $"HAProxy on {balancer.Name} refused to set {host.NodeName} to {state}: {answer}");
                }
            }
            catch (Exception ex) when (tolerateFailures && ex is StepFailedException or InvalidOperationException)
            {
                host.Note($"could not set {host.NodeName} {state} on {balancer.Name}: {ex.Message.Split('\n')[0]}");
            }
        }
    }

    private static async Task WaitForBackendsUpAsync(HostSession host, CancellationToken cancellationToken)
    {
        var server = HaproxyConfigRenderer.ServerName(host.NodeName);
        foreach (var balancer in host.Context.LoadBalancerHosts)
        {
            var session = await host.Context.SessionAsync(balancer, cancellationToken);
            var deadline = host.Context.Time.GetUtcNow() + TimeSpan.FromSeconds(ReadyWaitSeconds);
            while (true)
            {
                var csv = await session.QueryAsync("read HAProxy stats", HaproxyStatCsv.ShowStat(HaproxyConfigRenderer.StatsSocket), cancellationToken);
                var row = HaproxyStatCsv.Parse(csv).FirstOrDefault(s => s.Backend == HaproxyConfigRenderer.ApiBackend && s.Server == server);
                if (session.IsDryRun || row?.State == HaproxyServerState.Up)
                {
                    break;
                }

                if (row is null)
                {
                    // Not a state to wait out: this balancer's configuration does not list the node at all.
                    throw new StepFailedException(balancer.Name, "wait for the HAProxy backend", null, string.Empty,
                        $"HAProxy on {balancer.Name} has no server {server} in backend {HaproxyConfigRenderer.ApiBackend}: run add-nodes to configure the load balancers.");
                }

                if (host.Context.Time.GetUtcNow() >= deadline)
                {
                    throw new StepFailedException(balancer.Name, "wait for the HAProxy backend", null, string.Empty,
                        $"HAProxy on {balancer.Name}: backend {server} is {row.Status} ({row.LastCheck}) {ReadyWaitSeconds} s after its API server came back.");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), host.Context.Time, cancellationToken);
            }

            session.Note($"backend {server} UP");
        }
    }
}
