namespace KubeHa.Lab.Sim;

/// <summary>
/// kubelet-start (the kubelet's flags and configuration files, the restart) and the waits after it: for the kubelet's
/// health, then on control planes for the control plane in the wording of the installed kubeadm's minor
/// (<see cref="KubeadmReleases"/>).
/// </summary>
internal static partial class Kubeadm
{
    private const string KubeletDir = "/var/lib/kubelet";

    /// <param name="init">kubeadm init writes the flags file first; join writes it after the configuration files.</param>
    internal static void WriteKubeletConfig(KubeadmConfig cfg, bool init)
    {
        Directory.CreateDirectory(KubeletDir);
        var sock = Preflight.ResolveCriSocket(cfg, out _);
        if (init) WriteKubeletFlags(sock);
        if (KubeadmReleases.For(KubeadmVersion).KubeletInstanceConfig)
        {
            // 1.34+: the node-local settings (the CRI endpoint) go to the instance configuration, patched into config.yaml.
            Phase($"[kubelet-start] Writing kubelet configuration to file \"{KubeletDir}/instance-config.yaml\"");
            File.WriteAllText(Path.Combine(KubeletDir, "instance-config.yaml"),
                $"apiVersion: kubelet.config.k8s.io/v1beta1\ncontainerRuntimeEndpoint: {sock}\nkind: KubeletConfiguration\n");
            Phase("[patches] Applied patch of type \"application/strategic-merge-patch+json\" to target \"kubeletconfiguration\"");
        }
        Phase($"[kubelet-start] Writing kubelet configuration to file \"{KubeletDir}/config.yaml\"");
        File.WriteAllText(Path.Combine(KubeletDir, "config.yaml"), KubeletConfigYaml());
        if (!init) WriteKubeletFlags(sock);
    }

    private static void WriteKubeletFlags(string sock)
    {
        Phase($"[kubelet-start] Writing kubelet environment file with flags to file \"{KubeletDir}/kubeadm-flags.env\"");
        File.WriteAllText(Path.Combine(KubeletDir, "kubeadm-flags.env"), $"KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint={sock} --pod-infra-container-image=registry.k8s.io/pause:3.9\"\n");
    }

    /// <summary>kubelet-start and the wait for the kubelet and (control planes) the local control plane.</summary>
    internal static async Task<bool> StartKubeletAndWaitAsync(KubeadmConfig cfg, bool init)
    {
        WriteKubeletConfig(cfg, init);
        Phase("[kubelet-start] Starting the kubelet");
        var (code, output) = Sh("/usr/local/sbin/systemctl", "restart", "kubelet");
        if (code != 0) Console.Error.WriteLine($"\t[WARNING] unable to start the kubelet service: {output.Trim()}");
        var timeout = LabEnv.Profile == "realistic" ? TimeSpan.FromMinutes(4) : WaitTimeout();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        if (init)
        {
            Phase($"[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory \"{Manifests}\"");
        }
        Phase($"[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to {Durations.Format(TimeSpan.FromMinutes(4))}");
        while (Sh("/usr/local/sbin/systemctl", "is-active", "--quiet", "kubelet").Exit != 0 || !File.Exists("/run/khlab/kubelet-healthy"))
        {
            if (sw.Elapsed > timeout)
            {
                Console.Error.WriteLine(KubeletFailure(init ? "wait-control-plane" : "kubelet-start", timeout));
                return false;
            }
            await Task.Delay(200);
        }
        Phase($"[kubelet-check] The kubelet is healthy after {sw.Elapsed.TotalMilliseconds:0.######}ms");
        if (!cfg.ControlPlane && !init) return true;
        var wait = KubeadmReleases.For(KubeadmVersion).Wait;
        return wait == ControlPlaneWait.ControlPlaneCheck
            ? await WaitForControlPlaneComponentsAsync(cfg, sw, timeout)
            : await WaitForApiServerAsync(cfg, wait, sw, timeout);
    }

    /// <summary>1.29 ([apiclient]) and 1.30-1.32 ([api-check]): the API server's /healthz.</summary>
    private static async Task<bool> WaitForApiServerAsync(KubeadmConfig cfg, ControlPlaneWait wait, System.Diagnostics.Stopwatch sw, TimeSpan timeout)
    {
        var api = $"https://{cfg.AdvertiseAddress}:{cfg.BindPort}";
        var started = sw.Elapsed;
        var apiCheck = wait == ControlPlaneWait.ApiCheck;
        if (apiCheck) Phase($"[api-check] Waiting for a healthy API server. This can take up to {Durations.Format(TimeSpan.FromMinutes(4))}");
        while (ApiProbe.Healthz(api, TimeSpan.FromSeconds(2)) is not null)
        {
            if (sw.Elapsed > timeout)
            {
                Console.Error.WriteLine(apiCheck
                    ? $"[api-check] The API server is not healthy after {Durations.Format(sw.Elapsed - started)}\n\nUnfortunately, an error has occurred:\n\tcontext deadline exceeded\n\nThis error is likely caused by:\n\t- The kubelet is not running\n\t- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)\n\nIf you are on a systemd-powered system, you can try to troubleshoot the error with the following commands:\n\t- 'systemctl status kubelet'\n\t- 'journalctl -xeu kubelet'\nerror execution phase wait-control-plane: could not initialize a Kubernetes cluster\nTo see the stack trace of this error execute with --v=5 or higher"
                    : KubeletFailure("wait-control-plane", timeout));
                return false;
            }
            await Task.Delay(200);
        }
        Pace(5000);
        Phase(apiCheck
            ? $"[api-check] The API server is healthy after {(sw.Elapsed - started).TotalSeconds:0.#########}s"
            : $"[apiclient] All control plane components are healthy after {sw.Elapsed.TotalSeconds:0.######} seconds");
        return true;
    }

    /// <summary>
    /// 1.33+ ([control-plane-check], WaitForAllControlPlaneComponents): the kube-apiserver's /livez, the
    /// controller-manager's /healthz and the scheduler's /livez. The lab's controller-manager and scheduler are bare
    /// listeners (no HTTP), so they count as healthy once their static pods run, that is once the kubelet is healthy.
    /// </summary>
    private static async Task<bool> WaitForControlPlaneComponentsAsync(KubeadmConfig cfg, System.Diagnostics.Stopwatch sw, TimeSpan timeout)
    {
        var api = $"https://{cfg.AdvertiseAddress}:{cfg.BindPort}";
        var started = sw.Elapsed;
        Phase($"[control-plane-check] Waiting for healthy control plane components. This can take up to {Durations.Format(TimeSpan.FromMinutes(4))}");
        Phase($"[control-plane-check] Checking kube-apiserver at {api}/livez");
        Phase("[control-plane-check] Checking kube-controller-manager at https://127.0.0.1:10257/healthz");
        Phase("[control-plane-check] Checking kube-scheduler at https://127.0.0.1:10259/livez");
        Phase($"[control-plane-check] kube-controller-manager is healthy after {(sw.Elapsed - started).TotalSeconds:0.#########}s");
        Phase($"[control-plane-check] kube-scheduler is healthy after {(sw.Elapsed - started).TotalSeconds:0.#########}s");
        while (ApiProbe.Healthz(api, TimeSpan.FromSeconds(2)) is not null)
        {
            if (sw.Elapsed > timeout)
            {
                var sock = Preflight.ResolveCriSocket(cfg, out _);
                Console.Error.WriteLine(
                    $"[control-plane-check] kube-apiserver is not healthy after {Durations.Format(sw.Elapsed - started)}\n\n" +
                    "A control plane component may have crashed or exited when started by the container runtime.\n" +
                    "To troubleshoot, list all containers using your preferred container runtimes CLI.\n" +
                    "Here is one example how you may list all running Kubernetes containers by using crictl:\n" +
                    $"\t- 'crictl --runtime-endpoint {sock} ps -a | grep kube | grep -v pause'\n" +
                    "\tOnce you have found the failing container, you can inspect its logs with:\n" +
                    $"\t- 'crictl --runtime-endpoint {sock} logs CONTAINERID'\n\n" +
                    $"error execution phase wait-control-plane: failed while waiting for the control plane to start: kube-apiserver check failed at {api}/livez: client rate limiter Wait returned an error: context deadline exceeded\n" +
                    "To see the stack trace of this error execute with --v=5 or higher");
                return false;
            }
            await Task.Delay(200);
        }
        Pace(5000);
        Phase($"[control-plane-check] kube-apiserver is healthy after {(sw.Elapsed - started).TotalSeconds:0.#########}s");
        return true;
    }

    private static TimeSpan WaitTimeout()
    {
        var f = Path.Combine(LabEnv.StateDir, "wait-timeout");
        return File.Exists(f) && Durations.TryParse(File.ReadAllText(f).Trim(), out var t) ? t : TimeSpan.FromSeconds(40);
    }

    private static string KubeletFailure(string phase, TimeSpan after) =>
        $"[kubelet-check] The kubelet is not healthy after {Durations.Format(after)}\n\nUnfortunately, an error has occurred, likely caused by:\n\t- The kubelet is not running\n\t- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)\n\n" +
        "If you are on a systemd-powered system, you can try to troubleshoot the error with the following commands:\n\t- 'systemctl status kubelet'\n\t- 'journalctl -xeu kubelet'\n\n" +
        $"error execution phase {phase}: failed while waiting for the kubelet: kubelet is not healthy after {Durations.Format(after)}\nTo see the stack trace of this error execute with --v=5 or higher";
}
