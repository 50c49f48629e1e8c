using System.Reflection;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Tests.Remote;

/// <summary>Guards that every command reaching a host is a <see cref="ShellScript"/> built by interpolation.</summary>
public sealed class ShellScriptArchitectureTests
{
    [Fact]
    public void RemoteCommandApis_TakeShellScriptsNeverStrings()
    {
        var apis = new[] { typeof(IHostShell), typeof(HostSession), typeof(SshSession) }
            .Concat(typeof(IHostShell).Assembly.GetTypes().Where(t => typeof(IHostShell).IsAssignableFrom(t)));
        var offenders = apis
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters().Select(p => (Method: m, Parameter: p)))
            .Where(x => x.Parameter.Name is "script" or "command" && x.Parameter.ParameterType != typeof(ShellScript))
            .Select(x => $"{x.Method.DeclaringType!.Name}.{x.Method.Name}({x.Parameter.Name})")
            .ToList();

        Assert.Contains(typeof(HostSession).GetMethods(), m => m.Name == nameof(HostSession.RunAsync) && m.GetParameters()[0].ParameterType == typeof(ShellScript));
        Assert.True(offenders.Count == 0, "Commands must be ShellScripts: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Sources_NeverBuildAShellScriptFromRuntimeText()
    {
        var root = ArchitectureTests.RepositoryRoot();
        var own = Path.Combine(root, "src", "Core", "Remote", "ShellScript.cs");
        var offenders = new[] { "src", "bench" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*.cs", SearchOption.AllDirectories))
            .Where(f => f != own && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("AppendLiteral(", StringComparison.Ordinal) || text.Contains("new ShellScript(", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();

        Assert.True(offenders.Count == 0, "Only interpolated strings make ShellScripts (literals are the code's own text): " + string.Join(", ", offenders));
    }
}
