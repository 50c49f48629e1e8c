namespace KubeHa.Testing.Ssh;

/// <summary>A client key pair generated with ssh-keygen for tests.</summary>
/// <param name="Name">Short label: ed25519, ed25519-encrypted, rsa-pem, stranger.</param>
/// <param name="PrivateKeyPath">File holding the private key (root-only).</param>
/// <param name="PrivateKeyText">The private key text as an operator would paste it.</param>
/// <param name="PublicKeyLine">The authorized_keys line.</param>
/// <param name="Passphrase">The passphrase protecting the key, or null.</param>
/// <param name="Fingerprint">"SHA256:..." as ssh-keygen -lf prints it.</param>
public sealed record TestKey(
    string Name,
    string PrivateKeyPath,
    string PrivateKeyText,
    string PublicKeyLine,
    string? Passphrase,
    string Fingerprint)
{
    // Keep private material out of test output when a record is printed.
    public override string ToString() => $"TestKey {Name} {Fingerprint}";
}
