using System.Diagnostics;

namespace KubeHa.Core.Tests.Support;

/// <summary>Private keys made by the real ssh-keygen, with the fingerprints ssh-keygen prints for them.</summary>
public sealed class TestKeys : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kubeha-keys", Guid.NewGuid().ToString("N"));

    public TestKeys()
    {
        Directory.CreateDirectory(_dir);
        Ed25519 = Generate("ed25519", "-t", "ed25519", "-N", "");
        Ed25519Encrypted = Generate("ed25519-enc", "-t", "ed25519", "-N", Passphrase);
        RsaPemEncrypted = Generate("rsa-pem-enc", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", Passphrase);
        Ecdsa = Generate("ecdsa", "-t", "ecdsa", "-b", "256", "-N", "");
    }

    public GeneratedKey Ed25519 { get; }

    public GeneratedKey Ed25519Encrypted { get; }

    public GeneratedKey RsaPemEncrypted { get; }

    public GeneratedKey Ecdsa { get; }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private GeneratedKey Generate(string name, params string[] args)
    {
        var path = Path.Combine(_dir, name);
        Run("ssh-keygen", [.. args, "-q", "-C", "test@kubeha", "-f", path]);
        var fingerprint = Run("ssh-keygen", "-l", "-E", "sha256", "-f", path + ".pub").Split(' ')[1];
        return new GeneratedKey(File.ReadAllText(path), File.ReadAllText(path + ".pub"), fingerprint);
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}

public sealed record GeneratedKey(string PrivateKey, string PublicKey, string Fingerprint);
