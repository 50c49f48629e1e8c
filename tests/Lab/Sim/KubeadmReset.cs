namespace KubeHa.Lab.Sim;

internal static partial class Kubeadm
{
    private static int Reset(KubeadmArgs a)
    {
        var clusterId = File.Exists(ClusterFile) ? File.ReadAllText(ClusterFile).Trim() : null;
        if (clusterId is not null && File.Exists("/etc/kubernetes/admin.conf"))
        {
            Phase("[reset] Reading configuration from the cluster...");
            Phase("[reset] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'");
        }
        else Console.Error.WriteLine("W0000 reset.go:124] [reset] Unable to fetch the kubeadm-config ConfigMap from cluster: failed to get config map: configmaps \"kubeadm-config\" not found");
        if (!a.Has("force") && !a.Has("f"))
        {
            Console.Write("[reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted.\n[reset] Are you sure you want to proceed? [y/N]: ");
            var answer = Console.ReadLine();
            if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                return Fail("error execution phase preflight: aborted reset operation\nTo see the stack trace of this error execute with --v=5 or higher");
        }
        Phase("[preflight] Running pre-flight checks");
        var isCp = File.Exists(Path.Combine(Manifests, "kube-apiserver.yaml"));
        var localEtcd = File.Exists(Path.Combine(Manifests, "etcd.yaml"));
        if (isCp && clusterId is not null)
        {
            var store = new ClusterStore(clusterId);
            // remove-etcd-member: this control plane's stacked member leaves the etcd cluster (needs the API, as kubeadm).
            if (store.Exists && localEtcd && File.Exists("/etc/kubernetes/admin.conf")) RemoveStackedEtcdMember(store);
            if (store.Exists) store.Update(st => st.ControlPlanes.Remove(LabEnv.NodeName));
        }
        if (isCp && !localEtcd) Phase("[reset] No etcd config found. Assuming external etcd");
        Phase("[reset] Stopping the kubelet service");
        Sh("/usr/local/sbin/systemctl", "stop", "kubelet");
        foreach (var pidFile in Directory.Exists("/run/khlab/pods") ? Directory.GetFiles("/run/khlab/pods", "*.pid") : [])
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            }
            File.Delete(pidFile);
        }
        if (Directory.Exists("/var/lib/etcd") && Directory.EnumerateFileSystemEntries("/var/lib/etcd").Any())
        {
            foreach (var e in Directory.EnumerateFileSystemEntries("/var/lib/etcd")) Delete(e);
            Phase("[reset] Deleted contents of the etcd data directory: /var/lib/etcd");
        }
        Phase("[reset] Unmounting mounted directories in \"/var/lib/kubelet\"");
        string[] dirs = ["/etc/kubernetes/manifests", "/var/lib/kubelet", "/etc/kubernetes/pki"];
        Phase($"[reset] Deleting contents of directories: [{string.Join(' ', dirs)}]");
        foreach (var d in dirs.Where(Directory.Exists)) foreach (var e in Directory.EnumerateFileSystemEntries(d)) Delete(e);
        string[] files = ["/etc/kubernetes/admin.conf", "/etc/kubernetes/super-admin.conf", "/etc/kubernetes/kubelet.conf", "/etc/kubernetes/bootstrap-kubelet.conf", "/etc/kubernetes/controller-manager.conf", "/etc/kubernetes/scheduler.conf"];
        Phase($"[reset] Deleting files: [{string.Join(' ', files)}]");
        foreach (var f in files.Append(ClusterFile)) File.Delete(f);
        Console.WriteLine("""

            The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d

            The reset process does not reset or clean up iptables rules or IPVS tables.
            If you wish to reset iptables, you must do so manually by using the "iptables" command.

            If your cluster was setup to utilize IPVS, run ipvsadm --clear (or similar)
            to reset your system's IPVS tables.

            The reset process does not clean your kubeconfig files and you must remove them manually.
            Please, check the contents of the $HOME/.kube/config file.
            """);
        return 0;
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, true); else File.Delete(path);
    }
}
