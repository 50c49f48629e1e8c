namespace KubeHa.Testing;

/// <summary>chmod for the test infrastructure (Linux only; a no-op elsewhere, where these tests cannot run anyway).</summary>
public static class FileModes
{
    /// <param name="path">File or directory.</param>
    /// <param name="octal">Mode as in chmod, e.g. "755".</param>
    public static void Set(string path, string octal)
    {
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));
        }
    }
}
