namespace KubeHa.Core.Diagnostics;

/// <summary>A <c>kubeadm join</c> command found in the output, reassembled across <c>\</c> continuations.</summary>
/// <param name="Kind">Worker or control plane.</param>
/// <param name="Endpoint">The API endpoint (<c>host:port</c>), or null when the command uses <c>--config</c> or a discovery file.</param>
/// <param name="TokenId">The bootstrap token id (the part before the dot, public); null when absent.</param>
/// <param name="HasCaHash">Whether <c>--discovery-token-ca-cert-hash</c> is present.</param>
/// <param name="HasCertificateKey">Whether <c>--certificate-key</c> is present.</param>
/// <param name="Command">The whole command on one line, with its secrets masked.</param>
public sealed record KubeadmJoinCommand(
    JoinCommandKind Kind,
    string? Endpoint,
    string? TokenId,
    bool HasCaHash,
    bool HasCertificateKey,
    string Command);
