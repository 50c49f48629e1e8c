namespace KubeHa.Core.Remote;

/// <summary>Replaces known secret strings (and each line of a multi-line secret such as a key) with "***".</summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    public SecretMasker(IEnumerable<string> secrets)
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

        return text;
    }
}
