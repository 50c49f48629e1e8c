using Microsoft.Data.Sqlite;

namespace KubeHa.Web.Tests.Support;

/// <summary>A fresh directory under /tmp, deleted with everything in it.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kubeha-web-tests", Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a disposing host; /tmp is cleaned eventually.
        }
    }
}
