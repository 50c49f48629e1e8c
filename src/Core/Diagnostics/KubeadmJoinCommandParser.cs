using System.Collections.Frozen;
using KubeHa.Core.Security;

namespace KubeHa.Core.Diagnostics;

/// <summary>Reads a <c>kubeadm join</c> command out of one logical line.</summary>
internal static class KubeadmJoinCommandParser
{
    // Flags of kubeadm join that take a value (so the value is not mistaken for the endpoint).
    private static readonly FrozenSet<string> FlagsWithValue = new[]
    {
        "--token", "--discovery-token", "--tls-bootstrap-token", "--discovery-token-ca-cert-hash", "--certificate-key",
        "--config", "--cri-socket", "--node-name", "--apiserver-advertise-address", "--apiserver-bind-port",
        "--discovery-file", "--ignore-preflight-errors", "--skip-phases", "--patches", "--experimental-patches",
        "--v", "--feature-gates", "--rootfs", "--kubeconfig", "--control-plane-endpoint",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static KubeadmJoinCommand? TryParse(string line)
    {
        var at = line.IndexOf("kubeadm join", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var words = line[(at + "kubeadm join".Length)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }

        string? endpoint = null, token = null;
        bool controlPlane = false, caHash = false, certKey = false, anyFlag = false;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i].Trim('`', '"', '\'');
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                if (endpoint is null && LooksLikeEndpoint(word))
                {
                    endpoint = word;
                }

                continue;
            }

            anyFlag = true;
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            var flag = eq > 0 ? word[..eq] : word;
            string? value = eq > 0 ? word[(eq + 1)..] : null;
            if (value is null && FlagsWithValue.Contains(flag) && i + 1 < words.Length && !words[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = words[++i].Trim('`', '"', '\'');
            }

            switch (flag)
            {
                case "--control-plane" or "--experimental-control-plane":
                    controlPlane = true;
                    break;
                case "--token" or "--discovery-token":
                    token ??= value;
                    break;
                case "--discovery-token-ca-cert-hash":
                    caHash |= !string.IsNullOrEmpty(value);
                    break;
                case "--certificate-key":
                    certKey |= !string.IsNullOrEmpty(value);
                    break;
            }
        }

        // Documentation placeholders (<master-ip>:<master-port>, <token>) and prose are not commands.
        if (!anyFlag || endpoint?.Contains('<', StringComparison.Ordinal) == true || token?.StartsWith('<') == true)
        {
            return null;
        }

        return new KubeadmJoinCommand(
            controlPlane ? JoinCommandKind.ControlPlane : JoinCommandKind.Worker,
            endpoint,
            TokenIdOf(token),
            caHash,
            certKey,
            SecretMasker.Apply(("kubeadm join " + string.Join(' ', words)).Trim()));
    }

    private static string? TokenIdOf(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.StartsWith('<'))
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? token[..dot] : null;
    }

    private static bool LooksLikeEndpoint(string word)
    {
        if (word.Length is 0 or > 300 || word.StartsWith('-'))
        {
            return false;
        }

        foreach (var c in word)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or ':' or '-' or '[' or ']' or '<' or '>' or '_'))
            {
                return false;
            }
        }

        return word.Contains(':', StringComparison.Ordinal) || word.Contains('.', StringComparison.Ordinal);
    }
}
