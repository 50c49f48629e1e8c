using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeHa.Lab.Sim;

/// <summary>
/// The shared state of one simulated cluster (what etcd holds for a real one): a JSON file under
/// $KHLAB_STATE/clusters/ID, replaced atomically, writes serialized by an exclusive lock file. Every control
/// plane's apiserver and kubeadm read and write the same file.
/// </summary>
internal sealed class ClusterStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public ClusterStore(string id)
    {
        Id = id;
        Dir = Path.Combine(LabEnv.ClustersDir, id);
    }

    public string Id { get; }
    public string Dir { get; }
    private string StatePath => Path.Combine(Dir, "state.json");
    public string HeartbeatDir => Path.Combine(Dir, "heartbeats");

    public static string NewId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..10];

    public bool Exists => File.Exists(StatePath);

    public ClusterState Read()
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return JsonSerializer.Deserialize<ClusterState>(File.ReadAllText(StatePath), Json) ?? new ClusterState();
            }
            catch (IOException) when (i < 20) { Thread.Sleep(20); }
            catch (JsonException) when (i < 20) { Thread.Sleep(20); }
        }
    }

    public T Update<T>(Func<ClusterState, T> change)
    {
        Directory.CreateDirectory(Dir);
        using var lk = AcquireLock();
        var state = File.Exists(StatePath) ? Read() : new ClusterState { ClusterId = Id };
        var result = change(state);
        var tmp = StatePath + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(state, Json));
        File.Move(tmp, StatePath, overwrite: true);
        return result;
    }

    public void Update(Action<ClusterState> change) => Update(s => { change(s); return 0; });

    private FileStream AcquireLock()
    {
        var path = Path.Combine(Dir, "lock");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(5); }
        }
    }

    public static string Key(string group, string resource, string? ns, string name) => $"{group}/{resource}/{ns}/{name}";

    public static string Prefix(string group, string resource, string? ns) =>
        ns is null ? $"{group}/{resource}/" : $"{group}/{resource}/{ns}/";

    public static string Now() => LabEnv.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

internal sealed class ClusterState
{
    public string ClusterId { get; set; } = "";
    public long Rv { get; set; } = 1;
    public string KubernetesVersion { get; set; } = "";
    public string ControlPlaneEndpoint { get; set; } = "";
    public Dictionary<string, JsonObject> Objects { get; set; } = [];
    public List<BootstrapToken> Tokens { get; set; } = [];
    public CertUpload? Certs { get; set; }
    public List<string> ControlPlanes { get; set; } = [];

    /// <summary>Stores an object: sets uid, creationTimestamp (first time) and a new resourceVersion.</summary>
    public JsonObject Put(string group, string resource, string? ns, JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = meta;
        var name = meta["name"]?.GetValue<string>() ?? throw new InvalidOperationException("metadata.name required");
        if (ns is not null) meta["namespace"] = ns;
        var key = ClusterStore.Key(group, resource, ns, name);
        if (Objects.TryGetValue(key, out var old))
        {
            meta["uid"] = old["metadata"]?["uid"]?.DeepClone();
            meta["creationTimestamp"] = old["metadata"]?["creationTimestamp"]?.DeepClone();
        }
        meta["uid"] ??= Guid.NewGuid().ToString();
        meta["creationTimestamp"] ??= ClusterStore.Now();
        Rv++;
        meta["resourceVersion"] = Rv.ToString(CultureInfo.InvariantCulture);
        Objects[key] = obj;
        return obj;
    }

    public bool Delete(string group, string resource, string? ns, string name)
    {
        var removed = Objects.Remove(ClusterStore.Key(group, resource, ns, name));
        if (removed) Rv++;
        return removed;
    }

    public JsonObject? Get(string group, string resource, string? ns, string name) =>
        Objects.TryGetValue(ClusterStore.Key(group, resource, ns, name), out var o) ? o : null;

    public IEnumerable<KeyValuePair<string, JsonObject>> List(string group, string resource, string? ns)
    {
        var prefix = ClusterStore.Prefix(group, resource, ns);
        return Objects.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal);
    }
}

internal sealed class BootstrapToken
{
    public string Id { get; set; } = "";
    public string Secret { get; set; } = "";
    public DateTimeOffset? Expires { get; set; }
    public string Description { get; set; } = "";
    public string Usages { get; set; } = "authentication,signing";
    public string Groups { get; set; } = "system:bootstrappers:kubeadm:default-node-token";
    public string Full => Id + "." + Secret;
}

internal sealed class CertUpload
{
    public string Key { get; set; } = "";
    public DateTimeOffset Expires { get; set; }
    public Dictionary<string, string> Files { get; set; } = [];
}
