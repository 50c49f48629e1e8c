using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeHa.Lab.Sim;

/// <summary>
/// `kubeadm certs check-expiration` and `kubeadm certs renew all|NAME` (kubeadm's certlist: names, long names, CAs),
/// on the lab clock. Renewal writes new files only: running static pods keep the certificates they started with.
/// </summary>
internal static partial class Kubeadm
{
    private sealed record ManagedCert(string Name, string Path, string Ca, string CaBase, bool Kubeconfig, string LongName);

    private static readonly ManagedCert[] ManagedCerts =
    [
        new("admin.conf", "/etc/kubernetes/admin.conf", "ca", "ca", true, "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself"),
        new("apiserver", Pki + "/apiserver.crt", "ca", "ca", false, "certificate for serving the Kubernetes API"),
        new("apiserver-etcd-client", Pki + "/apiserver-etcd-client.crt", "etcd-ca", "etcd/ca", false, "certificate the apiserver uses to access etcd"),
        new("apiserver-kubelet-client", Pki + "/apiserver-kubelet-client.crt", "ca", "ca", false, "certificate for the API server to connect to kubelet"),
        new("controller-manager.conf", "/etc/kubernetes/controller-manager.conf", "ca", "ca", true, "certificate embedded in the kubeconfig file for the controller manager to use"),
        new("etcd-healthcheck-client", Pki + "/etcd/healthcheck-client.crt", "etcd-ca", "etcd/ca", false, "certificate for liveness probes to healthcheck etcd"),
        new("etcd-peer", Pki + "/etcd/peer.crt", "etcd-ca", "etcd/ca", false, "certificate for etcd nodes to communicate with each other"),
        new("etcd-server", Pki + "/etcd/server.crt", "etcd-ca", "etcd/ca", false, "certificate for serving etcd"),
        new("front-proxy-client", Pki + "/front-proxy-client.crt", "front-proxy-ca", "front-proxy-ca", false, "certificate for the front proxy client"),
        new("scheduler.conf", "/etc/kubernetes/scheduler.conf", "ca", "ca", true, "certificate embedded in the kubeconfig file for the scheduler manager to use"),
        new("super-admin.conf", "/etc/kubernetes/super-admin.conf", "ca", "ca", true, "certificate embedded in the kubeconfig file for the super-admin"),
    ];

    private static int CheckExpiration()
    {
        ClusterIdOrThrow();
        Phase("[check-expiration] Reading configuration from the cluster...");
        Phase("[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'");
        Console.WriteLine();
        var now = LabEnv.Now;
        string Residual(DateTime notAfter)
        {
            var left = new DateTimeOffset(notAfter.ToUniversalTime(), TimeSpan.Zero) - now;
            return left <= TimeSpan.Zero ? "<invalid>" : left.TotalDays >= 365 ? $"{(int)(left.TotalDays / 365)}y" : left.TotalDays >= 1 ? $"{(int)left.TotalDays}d" : $"{(int)left.TotalHours}h";
        }
        static string When(DateTime d) => d.ToUniversalTime().ToString("MMM dd, yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
        Console.WriteLine($"{"CERTIFICATE",-26} {"EXPIRES",-24} {"RESIDUAL TIME",-15} {"CERTIFICATE AUTHORITY",-23} EXTERNALLY MANAGED");
        foreach (var r in ManagedCerts)
        {
            using var cert = Load(r.Path, r.Kubeconfig);
            if (cert is null) continue;
            Console.WriteLine($"{r.Name,-26} {When(cert.NotAfter),-24} {Residual(cert.NotAfter),-15} {r.Ca,-23} no");
        }
        Console.WriteLine();
        Console.WriteLine($"{"CERTIFICATE AUTHORITY",-23} {"EXPIRES",-24} {"RESIDUAL TIME",-15} EXTERNALLY MANAGED");
        foreach (var (n, p) in new[] { ("ca", "ca.crt"), ("etcd-ca", "etcd/ca.crt"), ("front-proxy-ca", "front-proxy-ca.crt") })
        {
            using var cert = Load(Path.Combine(Pki, p), false);
            if (cert is null) continue;
            Console.WriteLine($"{n,-23} {When(cert.NotAfter),-24} {Residual(cert.NotAfter),-15} no");
        }
        return 0;
    }

    private static int CertsRenew(KubeadmArgs a)
    {
        var which = a.Positional.ElementAtOrDefault(2);
        if (which is null) return Fail("Error: missing subcommand; \"renew\" is not meant to be run on its own\nTo see the stack trace of this error execute with --v=5 or higher");
        var selected = which == "all" ? ManagedCerts : ManagedCerts.Where(c => c.Name == which).ToArray();
        if (selected.Length == 0) return Fail($"unknown command \"{which}\" for \"kubeadm certs renew\"");
        ClusterIdOrThrow();
        Phase("[renew] Reading configuration from the cluster...");
        Phase("[renew] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'");
        Console.WriteLine();
        foreach (var c in selected)
        {
            if (Load(c.Path, c.Kubeconfig) is not { } old)
            {
                Console.WriteLine($"MISSING! {c.LongName}");
                continue;
            }
            using (old)
            {
                if (!File.Exists(Path.Combine(Pki, c.CaBase + ".key")))
                    return Fail($"failed to renew certificate {c.Name}: couldn't load the certificate authority: couldn't load the private key file {Pki}/{c.CaBase}.key: open {Pki}/{c.CaBase}.key: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher");
                var (cert, key) = Sim.Pki.Renew(Pki, c.CaBase, old.ExportCertificatePem());
                if (c.Kubeconfig) ReplaceKubeconfigCredentials(c.Path, cert, key);
                else
                {
                    File.WriteAllText(c.Path, cert);
                    File.WriteAllText(Path.ChangeExtension(c.Path, ".key"), key);
                }
            }
            Console.WriteLine($"{c.LongName} renewed");
        }
        if (which == "all")
        {
            Console.WriteLine();
            Console.WriteLine("Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.");
        }
        return 0;
    }

    private static void ReplaceKubeconfigCredentials(string path, string certPem, string keyPem)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var lines = File.ReadAllLines(path).Select(l =>
        {
            var t = l.TrimStart();
            var indent = l[..(l.Length - t.Length)];
            return t.StartsWith("client-certificate-data:", StringComparison.Ordinal) ? $"{indent}client-certificate-data: {B64(certPem)}"
                : t.StartsWith("client-key-data:", StringComparison.Ordinal) ? $"{indent}client-key-data: {B64(keyPem)}"
                : l;
        });
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    private static X509Certificate2? Load(string path, bool kubeconfig)
    {
        if (!File.Exists(path)) return null;
        if (!kubeconfig) return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        var line = File.ReadLines(path).FirstOrDefault(l => l.Contains("client-certificate-data:", StringComparison.Ordinal));
        return line is null ? null : X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(':', 2)[1].Trim())));
    }
}
