using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace KubeHa.Lab.Sim;

/// <summary>
/// Simulated kube-apiserver: TLS on :6443 with the serving certificate kubeadm issued, health and version
/// endpoints, discovery, and a generic object store (list/get/watch/create/update/patch/delete) over the
/// cluster's shared state. No authentication or admission: every client is cluster-admin.
/// </summary>
internal static class ApiServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) =>
            args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var cluster = Arg("--cluster", "");
        var bind = Arg("--bind", LabEnv.Ip);
        var node = Arg("--node", LabEnv.NodeName);
        var pki = Arg("--pki", "/etc/kubernetes/pki");
        // Each apiserver reports its own version: its manifest's image tag (what an upgrade rewrites).
        var version = Arg("--version", "");
        var store = new ClusterStore(cluster);
        if (!store.Exists)
        {
            Console.Error.WriteLine($"E0000 run.go:74] \"command failed\" err=\"cluster state {cluster} not found\"");
            return 1;
        }

        // Loaded once, like the real apiserver: a renewed apiserver.crt is served only after a restart of the static pod.
        var serving = new ServingCertificate(pki);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Any, 6443, lo =>
            {
                lo.Protocols = HttpProtocols.Http1AndHttp2;
                lo.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificateSelector = (_, _) => serving.Current,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
        });
        var app = builder.Build();
        var handler = new ApiHandler(store, $"{bind}:6443", version);
        app.Run(handler.HandleAsync);
        using var cts = new CancellationTokenSource();
        var lifecycle = new NodeLifecycle(store, node).RunAsync(cts.Token);
        Console.WriteLine($"I0000 secure_serving.go:213] Serving securely on [::]:6443 (cluster {cluster}, node {node})");
        await app.RunAsync();
        await cts.CancelAsync();
        try { await lifecycle; } catch (OperationCanceledException) { }
        return 0;
    }
}

internal sealed class ApiHandler(ClusterStore store, string serverAddress, string version = "")
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public async Task HandleAsync(HttpContext ctx)
    {
        var latency = LabEnv.AddedLatency;
        if (latency > TimeSpan.Zero) await Task.Delay(latency, ctx.RequestAborted);
        // An expired client certificate fails x509 authentication: 401, which kubectl reports as
        // "error: You must be logged in to the server (Unauthorized)".
        if (ctx.Connection.ClientCertificate is { } client && client.NotAfter.ToUniversalTime() < LabEnv.Now.UtcDateTime)
        {
            await Json(ctx, 401, Status(401, "Unauthorized", "Unauthorized"));
            return;
        }
        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? "";
        switch (path)
        {
            case "/healthz" or "/livez" or "/readyz" or "/healthz/ready":
                await Text(ctx, 200, "ok");
                return;
            case "/version":
                await Json(ctx, 200, VersionInfo(version.Length > 0 ? version : store.Read().KubernetesVersion));
                return;
            case "/api":
                await Json(ctx, 200, ApiDiscovery.Versions(serverAddress));
                return;
            case "/apis":
                await Json(ctx, 200, ApiDiscovery.Groups());
                return;
            case "/api/v1":
                await Json(ctx, 200, ApiDiscovery.ResourceList("", "v1")!);
                return;
        }
        if (path == "/openapi/v2")
        {
            var (contentType, body) = OpenApiV2Document.For(ctx.Request.Headers.Accept.ToString(), "v" + store.Read().KubernetesVersion.TrimStart('v'));
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = contentType;
            await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
            return;
        }
        if (path == "/openapi/v3")
        {
            await Json(ctx, 200, ApiDiscovery.OpenApiV3Index());
            return;
        }
        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal) && ApiDiscovery.OpenApiV3(path["/openapi/v3/".Length..]) is { } doc)
        {
            await Json(ctx, 200, doc);
            return;
        }
        var seg = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (seg.Length == 3 && seg[0] == "apis")
        {
            var list = ApiDiscovery.ResourceList(seg[1], seg[2]);
            if (list is not null) { await Json(ctx, 200, list); return; }
        }
        if (!TryRoute(seg, out var route))
        {
            await Json(ctx, 404, Status(404, "NotFound", "the server could not find the requested resource"));
            return;
        }
        try
        {
            await DispatchAsync(ctx, route);
        }
        catch (BadRequestException e)
        {
            await Json(ctx, 400, Status(400, "BadRequest", e.Message));
        }
    }

    internal sealed record Route(ApiDiscovery.Resource Resource, string? Namespace, string? Name, bool Status, bool Eviction = false);

    private static bool TryRoute(string[] s, out Route route)
    {
        route = null!;
        int i;
        string group, version;
        if (s.Length >= 3 && s[0] == "api") { group = ""; version = s[1]; i = 2; }
        else if (s.Length >= 4 && s[0] == "apis") { group = s[1]; version = s[2]; i = 3; }
        else return false;
        string? ns = null;
        if (s.Length - i >= 3 && s[i] == "namespaces") { ns = s[i + 1]; i += 2; }
        var res = ApiDiscovery.Find(group, version, s[i]);
        if (res is null) return false;
        var name = s.Length > i + 1 ? s[i + 1] : null;
        var status = s.Length > i + 2 && s[i + 2] == "status";
        var eviction = s.Length > i + 2 && s[i + 2] == "eviction" && res.Name == "pods";
        if (s.Length > i + 3 || (s.Length == i + 3 && !status && !eviction)) return false;
        if (res.Namespaced && ns is null && name is not null) return false;
        route = new Route(res, res.Namespaced ? ns : null, name, status, eviction);
        return true;
    }

    private async Task DispatchAsync(HttpContext ctx, Route r)
    {
        var method = ctx.Request.Method;
        var q = ctx.Request.Query;
        if (method == "GET" && r.Name is null)
        {
            if (q["watch"] is var w && (w == "true" || w == "1"))
                await WatchAsync(ctx, r);
            else
                await ListAsync(ctx, r);
            return;
        }
        var g = r.Resource.Group;
        var res = r.Resource.Name;
        if (r.Eviction)
        {
            if (method != "POST") { await Json(ctx, 405, Status(405, "MethodNotAllowed", "method not allowed")); return; }
            // kubectl drain --dry-run=server puts the dry run in the Eviction's deleteOptions, not in the query.
            var eviction = await ReadBodyAsync(ctx);
            var dryRun = q["dryRun"].ToString() == "All"
                || (eviction["deleteOptions"]?["dryRun"] as JsonArray)?.Any(v => v?.GetValue<string>() == "All") == true;
            var (code, body) = store.Update(st => Evictions.Evict(st, r.Namespace!, r.Name!, dryRun));
            await Json(ctx, code, body);
            return;
        }
        switch (method)
        {
            case "GET":
            {
                var obj = store.Read().Get(g, res, r.Namespace, r.Name!);
                if (obj is null) { await NotFound(ctx, r); return; }
                var decorated = Decorate(obj, r.Resource);
                await Json(ctx, 200, WantsTable(ctx) ? ApiTables.Table(r.Resource, [decorated], obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0") : decorated);
                return;
            }
            case "POST":
            {
                var body = await ReadBodyAsync(ctx);
                var name = body["metadata"]?["name"]?.GetValue<string>();
                if (name is null && body["metadata"]?["generateName"]?.GetValue<string>() is { } gen)
                {
                    name = gen + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..5];
                    body["metadata"]!["name"] = name;
                }
                if (name is null) throw new BadRequestException("name or generateName is required");
                var (code, result) = store.Update(st =>
                {
                    if (st.Get(g, res, r.Namespace, name) is not null)
                        return (409, Status(409, "AlreadyExists", $"{res} \"{name}\" already exists", name, res));
                    return (201, st.Put(g, res, r.Namespace, Defaults(body, r.Resource)).DeepClone());
                });
                await Json(ctx, code, code == 201 ? Decorate((JsonObject)result, r.Resource) : result);
                return;
            }
            case "PUT":
            {
                var body = await ReadBodyAsync(ctx);
                var result = store.Update(st =>
                {
                    var existing = st.Get(g, res, r.Namespace, r.Name!);
                    if (existing is null) return null;
                    if (r.Status) { existing["status"] = body["status"]?.DeepClone(); body = existing; }
                    body["metadata"] ??= new JsonObject();
                    body["metadata"]!["name"] = r.Name;
                    return st.Put(g, res, r.Namespace, body).DeepClone();
                });
                if (result is null) { await NotFound(ctx, r); return; }
                await Json(ctx, 200, Decorate((JsonObject)result, r.Resource));
                return;
            }
            case "PATCH":
            {
                var body = await ReadBodyAsync(ctx);
                var ct = ctx.Request.ContentType ?? "";
                var apply = ct.Contains("apply-patch", StringComparison.Ordinal);
                var result = store.Update(st =>
                {
                    var existing = st.Get(g, res, r.Namespace, r.Name!);
                    if (existing is null && !apply) return null;
                    var target = existing?.DeepClone().AsObject() ?? new JsonObject { ["metadata"] = new JsonObject { ["name"] = r.Name } };
                    var patched = ct.Contains("json-patch", StringComparison.Ordinal) ? JsonPatch.ApplyJsonPatch(target, body) : JsonPatch.Merge(target, body).AsObject();
                    return st.Put(g, res, r.Namespace, Defaults(patched, r.Resource)).DeepClone();
                });
                if (result is null) { await NotFound(ctx, r); return; }
                await Json(ctx, 200, Decorate((JsonObject)result, r.Resource));
                return;
            }
            case "DELETE":
            {
                var deleted = store.Update(st =>
                {
                    var o = st.Get(g, res, r.Namespace, r.Name!);
                    if (o is not null) st.Delete(g, res, r.Namespace, r.Name!);
                    return o?.DeepClone();
                });
                if (deleted is null) { await NotFound(ctx, r); return; }
                await Json(ctx, 200, Decorate((JsonObject)deleted, r.Resource));
                return;
            }
        }
        await Json(ctx, 405, Status(405, "MethodNotAllowed", "method not allowed"));
    }

    private static JsonObject Defaults(JsonObject obj, ApiDiscovery.Resource r)
    {
        obj["apiVersion"] = ApiDiscovery.ApiVersion(r);
        obj["kind"] = r.Kind;
        if (r.Name == "namespaces") obj["status"] = new JsonObject { ["phase"] = "Active" };
        return obj;
    }

    private static JsonObject Decorate(JsonObject obj, ApiDiscovery.Resource r)
    {
        var o = obj.DeepClone().AsObject();
        o["apiVersion"] = ApiDiscovery.ApiVersion(r);
        o["kind"] = r.Kind;
        return o;
    }

    private static bool Matches(JsonObject obj, IQueryCollection q)
    {
        var field = q["fieldSelector"].ToString();
        foreach (var term in field.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = term.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "metadata.name" && obj["metadata"]?["name"]?.GetValue<string>() != kv[1].TrimStart('=')) return false;
            if (kv.Length == 2 && kv[0] == "metadata.namespace" && obj["metadata"]?["namespace"]?.GetValue<string>() != kv[1].TrimStart('=')) return false;
            if (kv.Length == 2 && kv[0] == "spec.nodeName" && (obj["spec"]?["nodeName"]?.GetValue<string>() ?? "") != kv[1].TrimStart('=')) return false;
        }
        var labels = q["labelSelector"].ToString();
        foreach (var term in labels.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = term.Split('=', 2);
            var l = obj["metadata"]?["labels"]?[kv[0].TrimEnd('!')]?.GetValue<string>();
            if (kv.Length == 1 && l is null) return false;
            if (kv.Length == 2 && l != kv[1].TrimStart('=')) return false;
        }
        return true;
    }

    private async Task ListAsync(HttpContext ctx, Route r)
    {
        var st = store.Read();
        var items = st.List(r.Resource.Group, r.Resource.Name, r.Namespace)
            .Select(kv => Decorate(kv.Value, r.Resource)).Where(o => Matches(o, ctx.Request.Query)).ToList();
        var rv = st.Rv.ToString(CultureInfo.InvariantCulture);
        if (WantsTable(ctx))
        {
            await Json(ctx, 200, ApiTables.Table(r.Resource, items, rv));
            return;
        }
        var list = new JsonObject
        {
            ["kind"] = r.Resource.Kind + "List",
            ["apiVersion"] = ApiDiscovery.ApiVersion(r.Resource),
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv },
            ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
        };
        await Json(ctx, 200, list);
    }

    private static bool WantsTable(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private async Task WatchAsync(HttpContext ctx, Route r)
    {
        var ct = ctx.RequestAborted;
        var q = ctx.Request.Query;
        var table = WantsTable(ctx);
        long.TryParse(q["resourceVersion"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sinceRv);
        var timeout = int.TryParse(q["timeoutSeconds"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ts) && ts > 0
            ? TimeSpan.FromSeconds(ts) : TimeSpan.FromMinutes(30);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.Body.FlushAsync(ct);
        var known = new Dictionary<string, (long Rv, JsonObject Obj)>();
        var first = true;
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (!ct.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                var st = store.Read();
                var current = st.List(r.Resource.Group, r.Resource.Name, r.Namespace)
                    .Where(kv => Matches(kv.Value, q))
                    .ToDictionary(kv => kv.Key, kv => kv.Value);
                foreach (var (key, obj) in current)
                {
                    var rv = long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                    string? type = null;
                    if (!known.TryGetValue(key, out var prev))
                    {
                        if (!first || sinceRv == 0 || rv > sinceRv) type = "ADDED";
                    }
                    else if (prev.Rv != rv) type = "MODIFIED";
                    known[key] = (rv, obj);
                    if (type is not null) await SendAsync(ctx, type, Decorate(obj, r.Resource), r, table, ct);
                }
                foreach (var gone in known.Keys.Except(current.Keys).ToList())
                {
                    await SendAsync(ctx, "DELETED", Decorate(known[gone].Obj, r.Resource), r, table, ct);
                    known.Remove(gone);
                }
                first = false;
                await Task.Delay(250, ct);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private static async Task SendAsync(HttpContext ctx, string type, JsonObject obj, Route r, bool table, CancellationToken ct)
    {
        var payload = table ? ApiTables.Table(r.Resource, [obj], obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0") : obj;
        var ev = new JsonObject { ["type"] = type, ["object"] = payload };
        await ctx.Response.WriteAsync(ev.ToJsonString(Compact) + "\n", ct);
        await ctx.Response.Body.FlushAsync(ct);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ctx.RequestAborted);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new BadRequestException("body must be a JSON object");
        }
        catch (JsonException)
        {
            return YamlJson.Parse(text) as JsonObject ?? throw new BadRequestException("body must be a JSON or YAML object");
        }
    }

    private static Task NotFound(HttpContext ctx, Route r) =>
        Json(ctx, 404, Status(404, "NotFound", $"{r.Resource.Name} \"{r.Name}\" not found", r.Name, r.Resource.Name));

    private static JsonObject VersionInfo(string version)
    {
        var v = version.TrimStart('v').Split('.');
        return new JsonObject
        {
            ["major"] = v.ElementAtOrDefault(0) ?? "1",
            ["minor"] = v.ElementAtOrDefault(1) ?? "30",
            ["gitVersion"] = "v" + version.TrimStart('v'),
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-08-14T19:08:42Z",
            ["goVersion"] = "go1.22.5",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject Status(int code, string reason, string message, string? name = null, string? kind = null)
    {
        var s = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (name is not null) s["details"] = new JsonObject { ["name"] = name, ["kind"] = kind };
        return s;
    }

    private static Task Json(HttpContext ctx, int code, JsonNode body)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body.ToJsonString(Compact), ctx.RequestAborted);
    }

    private static Task Text(HttpContext ctx, int code, string body)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync(body, ctx.RequestAborted);
    }
}

internal sealed class BadRequestException(string message) : Exception(message);
