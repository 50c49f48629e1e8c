namespace KubeHa.Core.Security;

/// <summary>
/// Masks what must never leave the process: the secrets this masker was given (passwords, passphrases, key lines —
/// each line of a multi-line secret too, since output arrives line by line) replaced with "***", then everything
/// <see cref="SecretMasker"/> recognises by shape (bootstrap tokens, certificate keys, key blocks).
/// </summary>
public sealed class KnownSecretMasker
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    public KnownSecretMasker(IEnumerable<string> secrets)
    {
        // Multi-line secrets (private keys) are masked line by line too, since output arrives line by line.
        _secrets = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[] { s }.Concat(s.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 8)))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return SecretMasker.Apply(text);
    }
}
