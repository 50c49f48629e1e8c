using System.Text;

namespace KubeHa.Web.Tests.Support;

/// <summary>Looks for secrets in stored bytes: in clear and base64-encoded at each byte alignment.</summary>
public static class SecretScan
{
    /// <summary>The SQLite database and its write-ahead log as Latin-1 text (every byte kept), read while the app holds them.</summary>
    public static string ReadDatabase(string dataDirectory)
    {
        var database = Path.Combine(dataDirectory, "kubeha.db");
        return ReadShared(database) + ReadShared(database + "-wal");
    }

    /// <summary>The secret in clear and base64-encoded at each of the three byte alignments.</summary>
    public static IEnumerable<string> Forms(string secret)
    {
        yield return secret;
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var shift = 0; shift < 3; shift++)
        {
            var padded = new byte[shift].Concat(bytes).ToArray();
            var encoded = Convert.ToBase64String(padded).TrimEnd('=');
            yield return encoded[(shift == 0 ? 0 : 4)..^4]; // drop the characters that depend on neighbours
        }
    }

    /// <summary>True when any form of <paramref name="secret"/> occurs in <paramref name="stored"/>.</summary>
    public static bool Contains(string stored, string secret) => Forms(secret).Any(f => stored.Contains(f, StringComparison.Ordinal));

    public static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Encoding.Latin1.GetString(buffer.ToArray());
    }
}
