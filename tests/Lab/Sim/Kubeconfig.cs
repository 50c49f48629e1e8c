using System.Text;

namespace KubeHa.Lab.Sim;

/// <summary>Writes kubeconfig files the way kubeadm does (embedded CA and client certificate).</summary>
internal static class Kubeconfig
{
    public static string Render(string server, string caPem, string user, string? certPem, string? keyPem, string? token = null, string cluster = "kubernetes")
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nclusters:\n- cluster:\n");
        sb.Append($"    certificate-authority-data: {B64(caPem)}\n    server: {server}\n  name: {cluster}\n");
        sb.Append($"contexts:\n- context:\n    cluster: {cluster}\n    user: {user}\n  name: {user}@{cluster}\n");
        sb.Append($"current-context: {user}@{cluster}\nkind: Config\npreferences: {{}}\nusers:\n- name: {user}\n  user:\n");
        if (certPem is not null) sb.Append($"    client-certificate-data: {B64(certPem)}\n    client-key-data: {B64(keyPem!)}\n");
        if (token is not null) sb.Append($"    token: {token}\n");
        return sb.ToString();
    }

    /// <summary>Server URL of a kubeconfig file (first cluster).</summary>
    public static string? Server(string path)
    {
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.TrimStart().StartsWith("server:", StringComparison.Ordinal));
        return line?.Split("server:", 2)[1].Trim();
    }
}
