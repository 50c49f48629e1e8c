namespace KubeHa.Core.Alerts;

/// <summary>
/// The secret part of a channel's settings, stored only encrypted (<see cref="Security.ISecretProtector"/>, as JSON):
/// the webhook URL (chat webhooks carry their token in the path) and header values, the SMTP password.
/// </summary>
public sealed record AlertChannelSecrets
{
    public string? Url { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public string? Password { get; init; }

    /// <summary>Every secret value, for masking error texts before they are stored or logged.</summary>
    public IEnumerable<string> Values()
    {
        if (Url is { Length: > 0 } url)
        {
            yield return url;
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                if (uri.PathAndQuery.Length > 1)
                {
                    yield return uri.PathAndQuery;
                }

                if (uri.UserInfo.Length > 0)
                {
                    yield return uri.UserInfo;
                }
            }
        }

        foreach (var value in Headers?.Values ?? [])
        {
            yield return value;
        }

        if (Password is { Length: > 0 } password)
        {
            yield return password;
        }
    }

    public override string ToString() => "AlertChannelSecrets";
}
