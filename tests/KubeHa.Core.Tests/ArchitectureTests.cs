using System.Reflection;
using KubeHa.Core.Persistence;

namespace KubeHa.Core.Tests;

public class ArchitectureTests
{
    private static readonly string[] Forbidden = ["Microsoft.AspNetCore", "MudBlazor", "Hangfire"];

    [Fact]
    public void CoreAssembly_DependencyClosure_HasNoAspNetCoreMudBlazorOrHangfire()
    {
        var core = typeof(KubeHaDbContext).Assembly;
        var closure = DependencyClosure(core);

        Assert.Contains(closure, n => n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        var offenders = closure.Where(n => Forbidden.Any(f => n.StartsWith(f, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(offenders.Count == 0, $"KubeHa.Core depends on: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void CoreProjectFile_ReferencesNoForbiddenPackages()
    {
        var csproj = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Core", "KubeHa.Core.csproj"));
        foreach (var name in Forbidden)
        {
            Assert.DoesNotContain($"Include=\"{name}", csproj, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("Microsoft.NET.Sdk.Web", csproj, StringComparison.Ordinal);
        Assert.DoesNotContain("FrameworkReference", csproj, StringComparison.Ordinal);
    }

    private static HashSet<string> DependencyClosure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<AssemblyName>(root.GetReferencedAssemblies());
        while (queue.TryDequeue(out var name))
        {
            if (name.Name is null || !seen.Add(name.Name))
            {
                continue;
            }

            Assembly loaded;
            try
            {
                loaded = Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                continue; // optional dependency not deployed with the tests (e.g. a platform-specific one)
            }

            foreach (var reference in loaded.GetReferencedAssemblies())
            {
                queue.Enqueue(reference);
            }
        }

        return seen;
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KubeHa.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("KubeHa.sln not found above the test directory.");
    }
}
