namespace KubeHa.Testing;

/// <summary>Paths in the repository the tests run from (found by walking up to KubeHa.sln).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeHa.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KubeHa.sln not found above the test binaries.");
    }
}
