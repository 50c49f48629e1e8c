using KubeHa.Core.Remote;
using KubeHa.Core.Tests.Support;
using KubeHa.Testing;

namespace KubeHa.Core.Tests.Remote;

/// <summary>
/// The one way scripts are built: every hole quoted in a bare word, refused where no quoting is exact. Round trips go
/// through the machine's real /bin/sh (dash on Debian), the shell that runs KubeHa's scripts on Debian hosts.
/// </summary>
public sealed class ShellScriptTests
{
    public static TheoryData<string> Hostile() => [.. HostileValues.ShellMetacharacters];

    public static TheoryData<string> Unsafe() => [.. HostileValues.ShellMetacharacters.Where(v => !ShellScript.IsSafe(v))];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hole_HostileValueInBareWord_ShellReadsBackExactlyThatValue(string value)
    {
        ShellScript script = $"printf '%s' {value}";

        Assert.Equal(value, await RunShAsync(script));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hole_HostileValueInsideCommandSubstitutionInDoubleQuotes_ShellReadsBackExactlyThatValue(string value)
    {
        ShellScript script = $"x=\"$(printf '%s' {value})\"; printf '%s' \"$x\"";

        // Command substitution drops trailing newlines; nothing else may change.
        Assert.Equal(value.TrimEnd('\n'), await RunShAsync(script));
    }

    [Fact]
    public async Task Hole_ManyValuesAsArguments_EachIsOneWord()
    {
        var values = HostileValues.ShellMetacharacters;
        ShellScript script = $"for a in {values}; do printf '%s\\0' \"$a\"; done";

        var words = (await RunShAsync(script)).Split('\0')[..^1];

        Assert.Equal(values, words);
    }

    [Theory]
    [InlineData("node1")]
    [InlineData("10.0.0.1")]
    [InlineData("unix:///var/run/containerd/containerd.sock")]
    [InlineData("https://pkgs.k8s.io/core:/stable:/v1.31/deb/")]
    [InlineData("abcdef.0123456789abcdef")]
    public void Hole_SafeValue_WrittenAsIsForReadablePreviews(string value)
    {
        ShellScript script = $"kubeadm --flag {value}";

        Assert.Equal($"kubeadm --flag {value}", script.Text);
    }

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void Hole_UnsafeValueInsideSingleQuotes_Refused(string value)
    {
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"bash -c 'kubectl drain {value}'"; });
    }

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void Hole_UnsafeValueInsideDoubleQuotes_Refused(string value)
    {
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo \"node {value}\""; });
    }

    [Fact]
    public void Hole_UnsafeValueInOtherUnquotableContexts_Refused()
    {
        var value = "a b;c";
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo `echo {value}`"; });
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo \\{value}"; });
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"true # {value}"; });
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"cat <<EOF\n{value}\nEOF\n"; });
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"cat <<'EOF'\nx {value}\nEOF\n"; });
    }

    [Theory]
    [InlineData("HOME")]
    [InlineData("1")]
    public void Hole_RightAfterDollar_RefusedEvenWhenSafe(string value)
    {
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo ${value}"; });
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo \"${value}\""; });
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo ${1}"; });
    }

    [Fact]
    public async Task Hole_SafeValueAndNumbersInsideQuotes_Allowed()
    {
        ShellScript script = $"bash -c 'printf %s {"node-1.example"}:{6443}'; echo \" {42}\"";

        Assert.Equal("node-1.example:6443 42\n", await RunShAsync(script));
    }

    [Fact]
    public async Task Hole_AfterHereDocumentAndComment_BareAgain()
    {
        var value = "a b'c";
        ShellScript script = $"cat <<'EOF' >/dev/null\nit's literal\nEOF\n# a comment with a quote: don't\nprintf '%s' {value}";

        Assert.Equal(value, await RunShAsync(script));
    }

    [Fact]
    public async Task Hole_CaseStatement_ParenthesisDoesNotConfuseTheContext()
    {
        var value = "x;y";
        ShellScript script = $"case a in a) printf '%s' {value};; esac";

        Assert.Equal(value, await RunShAsync(script));
    }

    [Fact]
    public void Hole_Nul_Refused()
    {
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo {"a\0b"}"; });
    }

    [Fact]
    public async Task Fragment_InBareWord_InsertedVerbatim()
    {
        ShellScript printf = $"printf '%s|'";
        var value = "a b";
        ShellScript script = $"{printf} {value} c";

        Assert.Equal("printf '%s|' 'a b' c", script.Text);
        Assert.Equal("a b|c|", await RunShAsync(script));
    }

    [Fact]
    public void Fragment_InsideQuotes_Refused()
    {
        ShellScript inner = $"rm -rf {"/tmp/a b"}";
        Assert.Throws<ShellScriptException>(() => { ShellScript s = $"sh -c '{inner}'"; });
    }

    [Fact]
    public async Task Fragment_AsOneWordThroughItsText_NestedShellReadsItBack()
    {
        var value = "it's $(id)";
        ShellScript inner = $"printf '%s' {value}";
        ShellScript outer = $"sh -c {inner.Text}";

        Assert.Equal(value, await RunShAsync(outer));
    }

    [Theory]
    [InlineData("echo 'open")]
    [InlineData("echo \"open")]
    [InlineData("echo $(open")]
    [InlineData("echo \"$(open\"")]
    [InlineData("cat <<EOF\nno end\n")]
    [InlineData("echo trailing \\")]
    public void Text_UnterminatedConstruct_Refused(string literal)
    {
        var script = new ShellScript(literal.Length, 0);
        script.AppendLiteral(literal);

        var error = Assert.Throws<ShellScriptException>(() => script.Text);
        Assert.Contains("open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_JoinsFragments()
    {
        var lines = ShellScript.Lines([$"a {"x y"}", $"b"]);

        Assert.Equal("a 'x y'\nb", lines.Text);
    }

    [Fact]
    public void Text_Used_ScriptCannotBeExtended()
    {
        ShellScript script = $"a";
        _ = script.Text;

        Assert.Throws<InvalidOperationException>(() => script.AppendLiteral(" b"));
    }

    [Fact]
    public void Refusal_MessageNamesThePlaceNotTheValue()
    {
        var secret = "s3cr3t value";
        var error = Assert.Throws<ShellScriptException>(() => { ShellScript s = $"echo 'token {secret}'"; });

        Assert.Contains("echo 'token ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> RunShAsync(ShellScript script)
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", script.Text]);
        return result.StandardOutput;
    }
}
