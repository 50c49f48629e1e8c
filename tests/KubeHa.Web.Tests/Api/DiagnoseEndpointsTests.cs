using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KubeHa.Core.Tests.Diagnostics;
using KubeHa.Web.Api;

namespace KubeHa.Web.Tests.Api;

public sealed class DiagnoseEndpointsTests(DiagnoseApiFactory factory) : IClassFixture<DiagnoseApiFactory>
{
    private const string Url = "/api/v1/diagnose/kubeadm";

    public static TheoryData<string> Samples => KubeadmCorpus.Names();

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Post_CorpusSample_ReturnsTheDiagnosisAsCamelCaseJson(string name)
    {
        var sample = KubeadmCorpus.Get(name);
        var client = await factory.AdminClientAsync();

        using var response = await client.PostAsync(Url, new StringContent(sample.Output, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(sample.ExpectedOutcome, root.GetProperty("outcome").GetString());
        Assert.Equal(sample.ExpectedPhases, root.GetProperty("phases").EnumerateArray().Select(p => p.GetString()!).ToList());
        Assert.Equal(
            sample.ExpectedCodes.Order(),
            root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!).Distinct().Order());
        var joins = root.GetProperty("joinCommands").EnumerateArray().Select(j => new KubeadmCorpusJoin(
            j.GetProperty("kind").GetString()!,
            j.GetProperty("endpoint").GetString(),
            j.GetProperty("tokenId").GetString(),
            j.GetProperty("hasCaHash").GetBoolean(),
            j.GetProperty("hasCertificateKey").GetBoolean()));
        Assert.Equal(sample.ExpectedJoins, joins);
        Assert.All(root.GetProperty("findings").EnumerateArray(), f =>
        {
            Assert.Contains(f.GetProperty("severity").GetString(), new[] { "error", "warning", "info" });
            Assert.False(string.IsNullOrEmpty(f.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrEmpty(f.GetProperty("fix").GetString()));
            Assert.False(string.IsNullOrEmpty(f.GetProperty("evidence").GetString()));
        });
    }

    [Fact]
    public async Task Post_InitOutputWithSecrets_ResponseBodyContainsNoTokenSecretOrCertificateKey()
    {
        var sample = KubeadmCorpus.Get("andygol-blog-init-v1.34-ha-upload-certs-success.txt");
        var client = await factory.AdminClientAsync();

        using var response = await client.PostAsync(Url, new StringContent(sample.Output, Encoding.UTF8, "text/plain"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("4vm6rzekoibear23", body, StringComparison.Ordinal);
        Assert.DoesNotContain("7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9", body, StringComparison.Ordinal);
        Assert.Contains("\"tokenId\":\"z28v5d\"", body, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"control-plane\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyOverFourMegabytes_Returns413ProblemDetails()
    {
        var client = await factory.AdminClientAsync();
        var tooLarge = new string('x', DiagnoseEndpoints.MaxBodyBytes + 1);

        using var response = await client.PostAsync(Url, new StringContent(tooLarge, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(413, json.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("4 MB", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverFourMegabytes_Returns413()
    {
        var client = await factory.AdminClientAsync();
        var content = new StreamContent(new MemoryStream(new byte[DiagnoseEndpoints.MaxBodyBytes + 1024]));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_JsonBody_Returns415ProblemDetails()
    {
        var client = await factory.AdminClientAsync();

        using var response = await client.PostAsync(Url, new StringContent("{\"output\":\"x\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_EmptyBody_ReturnsUnknownOutcome()
    {
        var client = await factory.AdminClientAsync();

        using var response = await client.PostAsync(Url, new StringContent(string.Empty, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unknown", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("findings").GetArrayLength());
    }
}
