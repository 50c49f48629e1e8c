namespace KubeHa.Core.Remote;

/// <summary>The host key a server presented.</summary>
/// <param name="Algorithm">Key type from the key blob, e.g. "ssh-ed25519", "ssh-rsa".</param>
/// <param name="Fingerprint">"SHA256:..." exactly as OpenSSH prints it.</param>
public sealed record HostKeyInfo(string Algorithm, string Fingerprint);
