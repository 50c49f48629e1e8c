using KubeHa.Core.Diagnostics;

namespace KubeHa.Core.Tests.Diagnostics;

public sealed class KubeadmOutputAnalyzerTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    public void Analyze_EmptyOutput_ReturnsUnknownWithNothingFound(string? output)
    {
        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        Assert.Equal(KubeadmOutcome.Unknown, diagnosis.Outcome);
        Assert.Empty(diagnosis.Phases);
        Assert.Empty(diagnosis.JoinCommands);
        Assert.Empty(diagnosis.Findings);
    }

    [Fact]
    public void Analyze_KlogPrefixedLines_ReadsThePhaseTagsBehindTheHeader()
    {
        const string output = """
            I0612 10:00:00.123456    1234 checks.go:12] [preflight] Running pre-flight checks
            I0612 10:00:01.000001    1234 certs.go:99] [certs] Using certificateDir folder "/etc/kubernetes/pki"
            W0612 10:00:02.000002    1234 checks.go:835] detected that the sandbox image "registry.k8s.io/pause:3.8" of the container runtime is inconsistent with that used by kubeadm.
            """;

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        Assert.Equal(["preflight", "certs"], diagnosis.Phases);
        var finding = Assert.Single(diagnosis.Findings);
        Assert.Equal(KubeadmFindingCodes.SandboxImageMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.StartsWith("detected that the sandbox image", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ErrorLineWrappedByTheTerminal_IsReassembledIntoOneFinding()
    {
        const string output = "error execution phase preflight: [preflight] Some fatal errors occurred:\n"
            + "\t[ERROR FileContent--proc-sys-net-bridge-bridge-nf-call-iptables]: /proc/sys/net/bridge/bridge-nf-c\n"
            + "all-iptables does not exist\n"
            + "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n";

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        var finding = Assert.Single(diagnosis.Findings);
        Assert.Equal(KubeadmFindingCodes.BridgeNetfilter, finding.Code);
        Assert.EndsWith("/proc/sys/net/bridge/bridge-nf-call-iptables does not exist", finding.Evidence, StringComparison.Ordinal);
        Assert.Equal(2, finding.LineNumber);
    }

    [Fact]
    public void Analyze_TabsOrSpaces_GiveTheSameFindings()
    {
        const string tabs = "error execution phase preflight: [preflight] Some fatal errors occurred:\n\t[ERROR NumCPU]: the number of available CPUs 1 is less than the required 2\n";
        var spaces = tabs.Replace("\t", "        ", StringComparison.Ordinal);

        Assert.Equal(KubeadmOutputAnalyzer.Analyze(tabs).Findings, KubeadmOutputAnalyzer.Analyze(spaces).Findings);
    }

    [Fact]
    public void Analyze_JoinTypedAtPromptWithContinuation_IsReassembledAndItsSecretsMasked()
    {
        const string output = """
            root@w1:~# kubeadm join 192.168.56.15:8443 --token abcdef.0123456789abcdef \
            >     --discovery-token-ca-cert-hash sha256:4c23033729b477d1fc30ae4b4041fe7dae70fa8defd5ecb57c571e969e00f8e0
            [preflight] Running pre-flight checks
            """;

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        var join = Assert.Single(diagnosis.JoinCommands);
        Assert.Equal(JoinCommandKind.Worker, join.Kind);
        Assert.Equal("192.168.56.15:8443", join.Endpoint);
        Assert.Equal("abcdef", join.TokenId);
        Assert.True(join.HasCaHash);
        Assert.False(join.HasCertificateKey);
        Assert.DoesNotContain("0123456789abcdef", join.Command, StringComparison.Ordinal);
        Assert.Contains("sha256:4c23033729b477d1fc30ae4b4041fe7dae70fa8defd5ecb57c571e969e00f8e0", join.Command, StringComparison.Ordinal);
        Assert.Equal(["preflight"], diagnosis.Phases);
    }

    [Fact]
    public void Analyze_PrintJoinCommandOutput_IsSuccessWithOneJoinCommand()
    {
        const string output = "kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:4c23033729b477d1fc30ae4b4041fe7dae70fa8defd5ecb57c571e969e00f8e0 \n";

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        Assert.Equal(KubeadmOutcome.Success, diagnosis.Outcome);
        Assert.Single(diagnosis.JoinCommands);
    }

    [Fact]
    public void Analyze_PromptedCommandMentioningSwap_IsNotAFinding()
    {
        const string output = "root@cp1:~# kubeadm init --ignore-preflight-errors=Swap # running with swap on is not supported\n";

        Assert.Empty(KubeadmOutputAnalyzer.Analyze(output).Findings);
    }

    [Fact]
    public void Analyze_RepeatedLines_AreDeduplicatedByCodeAndEvidence()
    {
        var line = "[kubelet-check] It seems like the kubelet isn't running or healthy.\n";
        var output = string.Concat(Enumerable.Repeat(line, 5));

        var finding = Assert.Single(KubeadmOutputAnalyzer.Analyze(output).Findings);
        Assert.Equal(KubeadmFindingCodes.KubeletUnhealthy, finding.Code);
    }

    [Fact]
    public void Analyze_FailureNobodyRecognises_ReportsUnrecognisedFailureWithTheErrorLine()
    {
        const string output = "[preflight] Running pre-flight checks\nerror execution phase preflight: something new went wrong\n";

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        Assert.Equal(KubeadmOutcome.Failure, diagnosis.Outcome);
        var finding = Assert.Single(diagnosis.Findings);
        Assert.Equal(KubeadmFindingCodes.UnrecognisedFailure, finding.Code);
        Assert.Equal("error execution phase preflight: something new went wrong", finding.Evidence);
    }

    [Fact]
    public void Analyze_RetryThatSucceededAfterAFailure_IsSuccess()
    {
        const string output = """
            error execution phase preflight: [preflight] Some fatal errors occurred:
            	[ERROR Swap]: running with swap on is not supported. Please disable swap
            root@cp1:~# swapoff -a
            root@cp1:~# kubeadm init
            [addons] Applied essential addon: kube-proxy

            Your Kubernetes control-plane has initialized successfully!
            """;

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        Assert.Equal(KubeadmOutcome.Success, diagnosis.Outcome);
        Assert.Contains(diagnosis.Findings, f => f.Code == KubeadmFindingCodes.SwapEnabled);
    }

    [Fact]
    public void Analyze_InputLongerThanTheLimit_ReadsItsEndAndSaysSo()
    {
        var filler = new string('x', 100) + "\n";
        var output = string.Concat(Enumerable.Repeat(filler, (KubeadmOutputAnalyzer.MaxInputChars / filler.Length) + 10))
            + "error execution phase preflight: [preflight] Some fatal errors occurred:\n\t[ERROR Port-6443]: Port 6443 is in use\n";

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        Assert.True(diagnosis.Truncated);
        Assert.Equal(KubeadmOutcome.Failure, diagnosis.Outcome);
        Assert.Equal(KubeadmFindingCodes.PortInUse, Assert.Single(diagnosis.Findings).Code);
    }

    [Fact]
    public void Analyze_PathologicalLongLine_IsCutAndStillAnalyzed()
    {
        var output = "[ERROR Swap]: " + new string('a', 1_000_000) + "\n";

        var diagnosis = KubeadmOutputAnalyzer.Analyze(output);

        var finding = Assert.Single(diagnosis.Findings);
        Assert.Equal(KubeadmFindingCodes.SwapEnabled, finding.Code);
        Assert.True(finding.Evidence.Length <= KubeadmOutputAnalyzer.MaxEvidenceChars);
    }

    [Fact]
    public void Catalog_EveryCode_HasAMessageAndAFix()
    {
        var codes = typeof(KubeadmFindingCodes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(codes.Order(), KubeadmFindingCatalog.Codes.Order());
        Assert.All(codes, code =>
        {
            var entry = KubeadmFindingCatalog.Get(code);
            Assert.EndsWith(".", entry.Message, StringComparison.Ordinal);
            Assert.EndsWith(".", entry.Fix, StringComparison.Ordinal);
            Assert.Matches("^[a-z]+(-[a-z]+)*$", code);
        });
    }
}
