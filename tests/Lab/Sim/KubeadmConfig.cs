using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeHa.Lab.Sim;

/// <summary>kubeadm configuration (file + flags) after defaulting and validation.</summary>
internal sealed partial class KubeadmConfig
{
    public string KubernetesVersion { get; set; } = "";
    public string ControlPlaneEndpoint { get; set; } = "";
    public string AdvertiseAddress { get; set; } = "";
    public int BindPort { get; set; } = 6443;
    public string NodeName { get; set; } = "";
    public string PodSubnet { get; set; } = "";
    public string ServiceSubnet { get; set; } = "10.96.0.0/12";
    public string DnsDomain { get; set; } = "cluster.local";
    public string ClusterName { get; set; } = "kubernetes";
    public List<string> CertSans { get; } = [];
    public List<string> IgnorePreflight { get; } = [];
    public List<string> Tokens { get; } = [];
    public TimeSpan TokenTtl { get; set; } = TimeSpan.FromHours(24);
    public string TokenDescription { get; set; } = "";
    public string? CertificateKey { get; set; }
    public string CriSocket { get; set; } = "";
    public bool ExternalEtcd { get; set; }
    public List<string> ExternalEtcdEndpoints { get; } = [];
    public string ImageRepository { get; set; } = "registry.k8s.io";
    public List<string> Warnings { get; } = [];
    // Join
    public string? DiscoveryEndpoint { get; set; }
    public string? DiscoveryToken { get; set; }
    public List<string> CaCertHashes { get; } = [];
    public bool UnsafeSkipCaVerification { get; set; }
    public bool ControlPlane { get; set; }
    public JsonObject? ClusterConfigurationDoc { get; set; }

    private static readonly Dictionary<string, string[]> KnownFields = new()
    {
        ["InitConfiguration"] = ["apiVersion", "kind", "bootstrapTokens", "nodeRegistration", "localAPIEndpoint", "certificateKey", "skipPhases", "patches", "timeouts", "dryRun"],
        ["ClusterConfiguration"] = ["apiVersion", "kind", "etcd", "networking", "kubernetesVersion", "controlPlaneEndpoint", "apiServer", "controllerManager", "scheduler", "dns", "certificatesDir", "imageRepository", "featureGates", "clusterName", "proxy", "encryptionAlgorithm", "certificateValidityPeriod", "caCertificateValidityPeriod"],
        ["JoinConfiguration"] = ["apiVersion", "kind", "nodeRegistration", "caCertPath", "discovery", "controlPlane", "skipPhases", "patches", "timeouts", "dryRun"],
        ["ResetConfiguration"] = ["apiVersion", "kind", "force", "certificatesDir", "criSocket", "cleanupTmpDir", "dryRun", "ignorePreflightErrors", "skipPhases", "unmountFlags"],
    };

    [GeneratedRegex("^[a-z0-9]{6}\\.[a-z0-9]{16}$")]
    public static partial Regex TokenFormat();

    [GeneratedRegex("^v?1\\.(\\d+)\\.(\\d+)$")]
    private static partial Regex VersionFormat();

    /// <summary>Loads --config documents. Returns an error message (kubeadm's wording) or null.</summary>
    public string? LoadFile(string path, int kubeadmMinor, string expectedMain)
    {
        if (!File.Exists(path)) return $"unable to read config from \"{path}\" : open {path}: no such file or directory";
        List<JsonNode?> docs;
        try { docs = YamlJson.ParseAll(File.ReadAllText(path)); }
        catch (YamlDotNet.Core.YamlException e) { return $"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}"; }
        var sawMain = false;
        foreach (var node in docs)
        {
            if (node is not JsonObject d) continue;
            var apiVersion = d["apiVersion"]?.GetValue<string>() ?? "";
            var kind = d["kind"]?.GetValue<string>() ?? "";
            if (apiVersion.Length == 0 || kind.Length == 0) return "invalid configuration for GroupVersionKind /, Kind=: kind and apiVersion is mandatory information that must be specified";
            var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (group == "kubeadm.k8s.io")
            {
                if (version is "v1beta1" or "v1beta2")
                    return $"your configuration file uses an old API spec: \"{apiVersion}\" (kind: \"{kind}\"). Please use kubeadm v1.22 instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.";
                var defaultApi = KubeadmReleases.For(kubeadmMinor).ConfigApi;
                if (version == "v1beta4" && defaultApi != "v1beta4" || version is not ("v1beta3" or "v1beta4"))
                    return $"no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31\"";
                if (version == "v1beta3" && defaultApi == "v1beta4")
                    Warnings.Add($"[config] WARNING: Ignored YAML document with GroupVersionKind kubeadm.k8s.io/v1beta3, Kind={kind}: the v1beta3 API is deprecated; use 'kubeadm config migrate' to move to v1beta4");
                if (!KnownFields.TryGetValue(kind, out var known))
                    return $"no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31\"";
                foreach (var f in d.Select(kv => kv.Key).Where(k => !known.Contains(k)))
                    Warnings.Add($"W{DateTime.UtcNow:MMdd HH:mm:ss.ffffff}    {Environment.ProcessId} initconfiguration.go:319] error unmarshaling configuration schema.GroupVersionKind{{Group:\"kubeadm.k8s.io\", Version:\"{version}\", Kind:\"{kind}\"}}: strict decoding error: unknown field \"{f}\"");
                if (kind == expectedMain) sawMain = true;
                var err = kind switch
                {
                    "InitConfiguration" => ApplyInit(d),
                    "ClusterConfiguration" => ApplyCluster(d),
                    "JoinConfiguration" => ApplyJoin(d),
                    _ => null,
                };
                if (err is not null) return err;
            }
            else if (apiVersion is "kubelet.config.k8s.io/v1beta1" or "kubeproxy.config.k8s.io/v1alpha1") { }
            else
            {
                Warnings.Add($"W{DateTime.UtcNow:MMdd HH:mm:ss.ffffff}    {Environment.ProcessId} common.go:101] [config] WARNING: Ignored YAML document with GroupVersionKind {apiVersion}, Kind={kind}");
            }
        }
        if (expectedMain == "JoinConfiguration" && !sawMain)
            return "no JoinConfiguration kind was found in the YAML file";
        return null;
    }

    private string? ApplyInit(JsonObject d)
    {
        foreach (var t in d["bootstrapTokens"]?.AsArray() ?? [])
        {
            if (t?["token"]?.GetValue<string>() is { } tok) Tokens.Add(tok);
            if (t?["ttl"]?.GetValue<string>() is { } ttl && Durations.TryParse(ttl, out var span)) TokenTtl = span;
            if (t?["description"]?.GetValue<string>() is { } description) TokenDescription = description;
        }
        AdvertiseAddress = d["localAPIEndpoint"]?["advertiseAddress"]?.GetValue<string>() ?? AdvertiseAddress;
        if (d["localAPIEndpoint"]?["bindPort"] is { } bp) BindPort = (int)bp.GetValue<long>();
        ApplyNodeRegistration(d);
        CertificateKey = d["certificateKey"]?.GetValue<string>() ?? CertificateKey;
        return null;
    }

    private void ApplyNodeRegistration(JsonObject d)
    {
        var nr = d["nodeRegistration"];
        NodeName = nr?["name"]?.GetValue<string>() ?? NodeName;
        CriSocket = nr?["criSocket"]?.GetValue<string>() ?? CriSocket;
        foreach (var e in nr?["ignorePreflightErrors"]?.AsArray() ?? []) IgnorePreflight.Add(e!.GetValue<string>());
    }

    private string? ApplyCluster(JsonObject d)
    {
        ClusterConfigurationDoc = d;
        KubernetesVersion = d["kubernetesVersion"]?.GetValue<string>() ?? KubernetesVersion;
        ControlPlaneEndpoint = d["controlPlaneEndpoint"]?.GetValue<string>() ?? ControlPlaneEndpoint;
        PodSubnet = d["networking"]?["podSubnet"]?.GetValue<string>() ?? PodSubnet;
        ServiceSubnet = d["networking"]?["serviceSubnet"]?.GetValue<string>() ?? ServiceSubnet;
        DnsDomain = d["networking"]?["dnsDomain"]?.GetValue<string>() ?? DnsDomain;
        ClusterName = d["clusterName"]?.GetValue<string>() ?? ClusterName;
        ImageRepository = d["imageRepository"]?.GetValue<string>() ?? ImageRepository;
        foreach (var s in d["apiServer"]?["certSANs"]?.AsArray() ?? []) CertSans.Add(s!.GetValue<string>());
        if (d["etcd"]?["external"] is JsonObject ext)
        {
            ExternalEtcd = true;
            foreach (var e in ext["endpoints"]?.AsArray() ?? []) ExternalEtcdEndpoints.Add(e!.GetValue<string>());
        }
        return null;
    }

    private string? ApplyJoin(JsonObject d)
    {
        ApplyNodeRegistration(d);
        var bt = d["discovery"]?["bootstrapToken"];
        DiscoveryEndpoint = bt?["apiServerEndpoint"]?.GetValue<string>() ?? DiscoveryEndpoint;
        DiscoveryToken = bt?["token"]?.GetValue<string>() ?? d["discovery"]?["tlsBootstrapToken"]?.GetValue<string>() ?? DiscoveryToken;
        foreach (var h in bt?["caCertHashes"]?.AsArray() ?? []) CaCertHashes.Add(h!.GetValue<string>());
        if (bt?["unsafeSkipCAVerification"]?.GetValue<bool>() == true) UnsafeSkipCaVerification = true;
        if (d["controlPlane"] is JsonObject cp)
        {
            ControlPlane = true;
            CertificateKey = cp["certificateKey"]?.GetValue<string>() ?? CertificateKey;
            AdvertiseAddress = cp["localAPIEndpoint"]?["advertiseAddress"]?.GetValue<string>() ?? AdvertiseAddress;
        }
        return null;
    }

    /// <summary>kubeadm's validation of the resulting configuration (ValidateInitConfiguration and friends).</summary>
    public List<string> Validate(bool init)
    {
        var errs = new List<string>();
        if (init)
        {
            if (KubernetesVersion.Length > 0 && !VersionFormat().IsMatch(KubernetesVersion) && KubernetesVersion is not ("stable" or "latest" or "stable-1"))
                errs.Add($"kubernetesVersion: Invalid value: \"{KubernetesVersion}\": must be a valid semantic version");
            if (PodSubnet.Length > 0) foreach (var s in PodSubnet.Split(',')) if (!IsCidr(s)) errs.Add($"networking.podSubnet: Invalid value: \"{PodSubnet}\": couldn't parse subnet");
            foreach (var s in ServiceSubnet.Split(',')) if (!IsCidr(s)) errs.Add($"networking.serviceSubnet: Invalid value: \"{ServiceSubnet}\": couldn't parse subnet");
            if (ControlPlaneEndpoint.Length > 0 && !IsHostPort(ControlPlaneEndpoint, allowNoPort: true))
                errs.Add($"controlPlaneEndpoint: Invalid value: \"{ControlPlaneEndpoint}\": {InvalidEndpointReason(ControlPlaneEndpoint)}");
            foreach (var t in Tokens.Where(t => !TokenFormat().IsMatch(t)))
                errs.Add($"bootstrapTokens[0].token: Invalid value: \"{t[..Math.Min(6, t.Length)]}...\": the bootstrap token is invalid");
        }
        if (AdvertiseAddress.Length > 0 && !IPAddress.TryParse(AdvertiseAddress, out _))
            errs.Add($"localAPIEndpoint.advertiseAddress: Invalid value: \"{AdvertiseAddress}\": couldn't use \"{AdvertiseAddress}\" as \"apiserver-advertise-address\", must be ipv4 or ipv6 address");
        if (CertificateKey is { Length: > 0 } k && (k.Length != 64 || !k.All(Uri.IsHexDigit)))
            errs.Add($"certificateKey: Invalid value: \"\": certificate key size must be 32 bytes");
        return errs;
    }

    private static string InvalidEndpointReason(string ep) =>
        ep.Contains(':', StringComparison.Ordinal) ? "port must be a valid number between 1 and 65535, inclusive" : "must be a valid IP address or (sub)domain name";

    public static bool IsCidr(string s)
    {
        var p = s.Trim().Split('/');
        return p.Length == 2 && IPAddress.TryParse(p[0], out var ip) && int.TryParse(p[1], out var bits)
            && bits >= 0 && bits <= (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    public static bool IsHostPort(string s, bool allowNoPort)
    {
        var i = s.LastIndexOf(':');
        if (i < 0) return allowNoPort && (IPAddress.TryParse(s, out _) || Uri.CheckHostName(s) == UriHostNameType.Dns);
        var host = s[..i];
        return int.TryParse(s[(i + 1)..], out var port) && port is > 0 and < 65536
            && (IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns);
    }
}

internal static class Durations
{
    public static bool TryParse(string s, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        var m = Regex.Matches(s, "(\\d+(?:\\.\\d+)?)(h|m|s|ms)");
        if (m.Count == 0 || string.Concat(m.Select(x => x.Value)) != s) return s == "0" && (span = TimeSpan.Zero) == TimeSpan.Zero;
        foreach (Match x in m)
        {
            var v = double.Parse(x.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            span += x.Groups[2].Value switch { "h" => TimeSpan.FromHours(v), "m" => TimeSpan.FromMinutes(v), "s" => TimeSpan.FromSeconds(v), _ => TimeSpan.FromMilliseconds(v) };
        }
        return true;
    }

    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes}m{t.Seconds}s" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds}s" : $"{t.TotalSeconds:0.###}s";
}
