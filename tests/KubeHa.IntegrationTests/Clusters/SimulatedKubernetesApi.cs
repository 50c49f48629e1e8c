using System.Net;
using System.Text;
using System.Threading.Channels;
using KubeHa.Testing.LoadBalancing;
using k8s;
using k8s.Models;

namespace KubeHa.IntegrationTests.Clusters;

/// <summary>
/// SIMULATED: the part of kube-apiserver the health watcher touches, over plain HTTP on loopback (HttpListener): lists of
/// nodes and pods (with a resourceVersion) and their watches (<c>?watch=true</c>: newline-delimited watch events,
/// streamed chunked, the connection held open), serialised with KubernetesClient's own models so the JSON is the real
/// shape. Counts list requests, so a test can tell watching from polling.
/// </summary>
internal sealed class SimulatedKubernetesApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<string> _nodeEvents = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _nodeLists;
    private int _nodeWatches;

    /// <param name="port">The loopback port to serve on (a test reserves one to start the server later); null: a free one.</param>
    public SimulatedKubernetesApi(IReadOnlyList<V1Node> nodes, IReadOnlyList<V1Pod> pods, int? port = null)
    {
        Nodes = nodes;
        Pods = pods;
        port ??= HaproxyProcess.FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<V1Node> Nodes { get; }

    public IReadOnlyList<V1Pod> Pods { get; }

    public int NodeLists => Volatile.Read(ref _nodeLists);

    public int NodeWatches => Volatile.Read(ref _nodeWatches);

    /// <summary>A kubeconfig as kubeadm writes it, minus TLS (the server is replaced by the watcher's endpoint anyway).</summary>
    public static string Kubeconfig(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubernetes
          cluster:
            server: {server}
        contexts:
        - name: kubernetes-admin@kubernetes
          context: {"{"}cluster: kubernetes, user: kubernetes-admin{"}"}
        current-context: kubernetes-admin@kubernetes
        users:
        - name: kubernetes-admin
          user: {"{"}token: simulated{"}"}
        """;

    public void SendNodeEvent(string type, V1Node node) =>
        _nodeEvents.Writer.TryWrite(KubernetesJson.Serialize(new { type, @object = node }));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _loop.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var watch = request.QueryString["watch"] is "true" or "1";
        try
        {
            response.ContentType = "application/json";
            switch (request.Url!.AbsolutePath, watch)
            {
                case ("/api/v1/nodes", false):
                    Interlocked.Increment(ref _nodeLists);
                    await WriteAsync(response, KubernetesJson.Serialize(new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Metadata = new V1ListMeta { ResourceVersion = "100" }, Items = Nodes.ToList() }));
                    break;
                case ("/api/v1/pods", false):
                    await WriteAsync(response, KubernetesJson.Serialize(new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta { ResourceVersion = "100" }, Items = Pods.ToList() }));
                    break;
                case ("/api/v1/nodes", true):
                    Interlocked.Increment(ref _nodeWatches);
                    response.SendChunked = true;
                    await response.OutputStream.FlushAsync(_stop.Token);
                    await foreach (var line in _nodeEvents.Reader.ReadAllAsync(_stop.Token))
                    {
                        var bytes = Encoding.UTF8.GetBytes(line + "\n");
                        await response.OutputStream.WriteAsync(bytes, _stop.Token);
                        await response.OutputStream.FlushAsync(_stop.Token);
                    }

                    break;
                case ("/api/v1/pods", true):
                    response.SendChunked = true;
                    await response.OutputStream.FlushAsync(_stop.Token);
                    await Task.Delay(Timeout.Infinite, _stop.Token); // no pod changes: held open like a real watch
                    break;
                default:
                    response.StatusCode = 404;
                    await WriteAsync(response, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
                    break;
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception)
            {
                // the listener is closing
            }
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    public static V1Node Node(string name, bool ready, string ip, string resourceVersion, bool controlPlane = false) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            ResourceVersion = resourceVersion,
            Labels = controlPlane
                ? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name, ["node-role.kubernetes.io/control-plane"] = "" }
                : new Dictionary<string, string> { ["kubernetes.io/hostname"] = name },
        },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = ip }, new V1NodeAddress { Type = "Hostname", Address = name }],
            NodeInfo = new V1NodeSystemInfo { KubeletVersion = "v1.31.2", Architecture = "amd64", OperatingSystem = "linux", OsImage = "Debian GNU/Linux 12 (bookworm)", KernelVersion = "6.1.0", ContainerRuntimeVersion = "containerd://1.7.24", KubeProxyVersion = "v1.31.2", MachineID = "m", SystemUUID = "s", BootID = "b" },
            Conditions =
            [
                new V1NodeCondition { Type = "MemoryPressure", Status = "False", Reason = "KubeletHasSufficientMemory" },
                new V1NodeCondition
                {
                    Type = "Ready", Status = ready ? "True" : "Unknown",
                    Reason = ready ? "KubeletReady" : "NodeStatusUnknown",
                    Message = ready ? "kubelet is posting ready status" : "Kubelet stopped posting node status.",
                    LastTransitionTime = new DateTime(2026, 11, 26, 8, 0, 0, DateTimeKind.Utc),
                },
            ],
        },
    };

    public static V1Pod Pod(string ns, string name, string node, string component, string phase = "Running") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = "50", Labels = new Dictionary<string, string> { ["component"] = component, ["tier"] = "control-plane" } },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = component, Image = "registry.k8s.io/" + component }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = phase == "Running" ? "True" : "False" }],
            ContainerStatuses = [new V1ContainerStatus { Name = component, Image = "registry.k8s.io/" + component, ImageID = "", Ready = phase == "Running", RestartCount = 2 }],
        },
    };
}
