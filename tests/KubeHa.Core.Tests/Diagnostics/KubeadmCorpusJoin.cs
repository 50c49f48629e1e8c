namespace KubeHa.Core.Tests.Diagnostics;

/// <summary>An expected join command: "control-plane 10.0.0.1:6443 abcdef ca certkey" ('-' for absent parts).</summary>
public sealed record KubeadmCorpusJoin(string Kind, string? Endpoint, string? TokenId, bool HasCaHash, bool HasCertificateKey)
{
    public static KubeadmCorpusJoin Parse(string spec)
    {
        var parts = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 5)
        {
            throw new FormatException($"Join spec '{spec}' must be: kind endpoint tokenId ca|- certkey|-");
        }

        return new KubeadmCorpusJoin(
            parts[0],
            parts[1] == "-" ? null : parts[1],
            parts[2] == "-" ? null : parts[2],
            parts[3] == "ca",
            parts[4] == "certkey");
    }
}
