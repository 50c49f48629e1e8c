using System.Diagnostics;

namespace KubeHa.Web.Tests.Support;

/// <summary>Makes a real private key with ssh-keygen.</summary>
public static class SshKeygen
{
    public static string Generate(string directory, string type, string passphrase)
    {
        var path = System.IO.Path.Combine(directory, $"id_{type}_{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-q", "-t", type, "-N", passphrase, "-C", "kubeha-test", "-f", path })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        var key = File.ReadAllText(path);
        File.Delete(path);
        File.Delete(path + ".pub");
        return key;
    }
}
