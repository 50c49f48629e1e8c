namespace KubeHa.Core.Diagnostics;

/// <summary>Something the analyzer recognised in kubeadm output.</summary>
/// <param name="Code">Stable kebab-case code (see <see cref="KubeadmFindingCodes"/>); safe to store and to match on.</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Message">One sentence explaining what it means.</param>
/// <param name="Fix">One or two sentences saying what to do, in KubeHa's terms.</param>
/// <param name="Evidence">The output line it was recognised from, secrets masked.</param>
/// <param name="LineNumber">1-based number of the (first physical) line of the evidence in the input.</param>
public sealed record KubeadmFinding(
    string Code,
    FindingSeverity Severity,
    string Message,
    string Fix,
    string Evidence,
    int LineNumber);
