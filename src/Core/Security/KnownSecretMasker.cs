using System.Text.RegularExpressions;

namespace KubeHa.Core.Security;

/// <summary>
/// Masks what must never leave the process: the secrets this masker was given (passwords, passphrases, key lines —
/// each line of a multi-line secret too, since output arrives line by line) replaced with "***", then everything
/// <see cref="SecretMasker"/> recognises by shape (bootstrap tokens, certificate keys, key blocks).
/// <para>
/// A short secret (under <see cref="SubstringMinLength"/> characters) is masked only where it stands as a whole word:
/// replaced inside every word that happens to contain it ("pw" in "pwd", "ab" in "table"), the masks would spell out
/// where it occurs, i.e. reveal it. Secrets under <see cref="WordMinLength"/> characters cannot be masked without
/// revealing themselves and are left to the shape rules.
/// </para>
/// </summary>
public sealed class KnownSecretMasker
{
    public const string Mask = "***";

    /// <summary>Secrets at least this long are masked wherever they occur.</summary>
    public const int SubstringMinLength = 8;

    /// <summary>Shorter secrets than this are not masked by value at all.</summary>
    public const int WordMinLength = 4;

    private readonly string[] _secrets;
    private readonly Regex? _shortSecrets;

    public KnownSecretMasker(IEnumerable<string> secrets)
    {
        // Multi-line secrets (private keys) are masked line by line too, since output arrives line by line.
        var all = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[] { s }.Concat(s.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= SubstringMinLength)))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
        _secrets = all.Where(s => s.Length >= SubstringMinLength).ToArray();
        var words = all.Where(s => s.Length is >= WordMinLength and < SubstringMinLength).ToArray();
        if (words.Length > 0)
        {
            // Whole words only: not preceded or followed by a letter or digit.
            _shortSecrets = new Regex(
                @"(?<![\p{L}\p{N}])(?:" + string.Join('|', words.Select(Regex.Escape)) + @")(?![\p{L}\p{N}])",
                RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }
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

        if (_shortSecrets is not null)
        {
            text = _shortSecrets.Replace(text, Mask);
        }

        return SecretMasker.Apply(text);
    }
}
