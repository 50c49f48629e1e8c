using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeHa.Core.Clusters;
using KubeHa.Core.LoadBalancing;
using KubeHa.Core.Provisioning.Rendering;
using KubeHa.Testing;

namespace KubeHa.IntegrationTests.Provisioning;

/// <summary>Rendered configs checked by the real tools: haproxy -c, keepalived -t, openssl.</summary>
[Trait("Category", "Integration")]
public sealed class RenderedConfigValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeha-render-").FullName;

    public static TheoryData<string> HaproxyModes => ["keepalived", "node-local", "dedicated", "dedicated-ingress"];

    [Theory]
    [MemberData(nameof(HaproxyModes))]
    public async Task Render_EveryMode_PassesHaproxyConfigCheck(string mode)
    {
        HaproxyServer[] apiServers = [new("cp-1", "10.0.0.1", 6443), new("cp 2", "10.0.0.2", 6443), new("cp-3", "10.0.0.3", 6443)];
        HaproxyServer[] workers = [new("w1", "10.0.0.11", 0), new("w2", "10.0.0.12", 0)];
        var config = mode switch
        {
            "keepalived" => new HaproxyConfig("192.168.56.15:8443", apiServers, null, []),
            "node-local" => new HaproxyConfig("127.0.0.1:5443", apiServers, null, []),
            "dedicated" => new HaproxyConfig("*:6443", apiServers, null, []),
            _ => new HaproxyConfig("*:6443", apiServers, new IngressForwarding(32059, 32423), workers),
        };
        var path = Path.Combine(_dir, $"{mode}.cfg");
        await File.WriteAllTextAsync(path, HaproxyConfigRenderer.Render(config));

        var result = await ProcessRunner.RunAsync("/usr/sbin/haproxy", ["-c", "-f", path], check: false);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.DoesNotContain("[WARNING]", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderKeepalived_PassesKeepalivedConfigTest()
    {
        var path = Path.Combine(_dir, "keepalived.conf");
        await File.WriteAllTextAsync(path, KeepalivedConfigRenderer.Render(new KeepalivedInstance(Nic(), "127.0.0.1", ["127.0.0.2"], "192.168.56.15", 24, 51, 150)));

        var result = await ProcessRunner.RunAsync("/usr/sbin/keepalived", ["-t", "-f", path, "-l", "-n"], check: false);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public async Task CaCertHash_FreshCertificate_EqualsOpensslPipeline(string algorithm)
    {
        using AsymmetricAlgorithm key = algorithm == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsa
            ? new CertificateRequest("CN=kubernetes", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=kubernetes", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(10));
        var pem = ca.ExportCertificatePem();
        var path = Path.Combine(_dir, "ca.crt");
        await File.WriteAllTextAsync(path, pem);

        var pubkey = await ProcessRunner.RunAsync("/usr/bin/openssl", ["x509", "-pubkey", "-noout", "-in", path]);
        var der = Path.Combine(_dir, "pub.der");
        await ProcessRunner.RunAsync("/usr/bin/openssl", ["pkey", "-pubin", "-outform", "der", "-out", der], pubkey.StandardOutput);
        var digest = (await ProcessRunner.RunAsync("/usr/bin/sha256sum", [der])).StandardOutput.Split(' ')[0];

        Assert.Equal("sha256:" + digest, CaCertHash.Compute(pem));
    }

    // keepalived refuses loopback and unknown interfaces: use a real one of this machine.
    private static string Nic() => System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
        .First(n => n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback).Name;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
