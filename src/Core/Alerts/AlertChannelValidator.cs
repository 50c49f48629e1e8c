using KubeHa.Core.Inventory;
using MimeKit;

namespace KubeHa.Core.Alerts;

/// <summary>
/// Checks a channel's input field by field (messages keyed by <see cref="AlertChannelInput"/> property names) and
/// splits what is valid into clear settings and secrets, keeping stored secrets where an edit leaves them empty.
/// </summary>
internal static class AlertChannelValidator
{
    public const int MaxUrlLength = 2048;
    public const int MaxHeaders = 20;
    public const int MaxHeaderValueLength = 4096;
    public const int MaxRecipients = 20;

    /// <summary>Headers KubeHa sets itself or that would break the request.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "TE", "Trailer",
        "Keep-Alive", "Proxy-Connection", WebhookAlertSender.EventHeader, WebhookAlertSender.EventIdHeader,
    };

    public sealed record Valid(WebhookSettings? Webhook, EmailSettings? Email, AlertChannelSecrets Secrets);

    /// <param name="input">What was entered.</param>
    /// <param name="stored">The channel's current secrets when editing a channel of the same kind; null when creating.</param>
    /// <param name="errors">Collects the messages.</param>
    public static Valid? Validate(AlertChannelInput input, AlertChannelSecrets? stored, FieldErrors errors)
    {
        var events = input.Events.Distinct().ToList();
        if (events.Count == 0)
        {
            errors.Add(nameof(AlertChannelInput.Events), "Choose at least one event to send.");
        }
        else if (events.Any(e => !AlertEventKinds.Subscribable.Contains(e)))
        {
            errors.Add(nameof(AlertChannelInput.Events), $"Unknown event; choose from {string.Join(", ", AlertEventKinds.Subscribable.Select(AlertEventKinds.Name))}.");
        }

        return input.Kind switch
        {
            AlertChannelKind.Webhook => ValidateWebhook(input, stored, errors),
            AlertChannelKind.Email => ValidateEmail(input, stored, errors),
            _ => Fail(errors, nameof(AlertChannelInput.Kind), "Choose a webhook or an e-mail channel."),
        };
    }

    private static Valid? ValidateWebhook(AlertChannelInput input, AlertChannelSecrets? stored, FieldErrors errors)
    {
        var url = string.IsNullOrWhiteSpace(input.Url) ? stored?.Url : input.Url.Trim();
        Uri? uri = null;
        if (url is null)
        {
            errors.Add(nameof(AlertChannelInput.Url), "Enter the URL to POST alerts to.");
        }
        else if (url.Length > MaxUrlLength)
        {
            errors.Add(nameof(AlertChannelInput.Url), $"Use at most {MaxUrlLength} characters.");
        }
        else if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
                 || !Uri.TryCreate(url, UriKind.Absolute, out uri)
                 || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                 || uri.Host.Length == 0)
        {
            errors.Add(nameof(AlertChannelInput.Url), "Enter an absolute http:// or https:// URL, e.g. https://hooks.slack.com/services/T000/B000/XXXX.");
            uri = null;
        }

        if (!Enum.IsDefined(input.Format))
        {
            errors.Add(nameof(AlertChannelInput.Format), "Choose the JSON or the Slack format.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var entered = input.Headers.Where(h => !string.IsNullOrWhiteSpace(h.Name) || !string.IsNullOrEmpty(h.Value)).ToList();
        if (entered.Count > MaxHeaders)
        {
            errors.Add(nameof(AlertChannelInput.Headers), $"Use at most {MaxHeaders} headers.");
        }

        foreach (var header in entered.Take(MaxHeaders))
        {
            var name = header.Name.Trim();
            var storedValue = stored?.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            var value = string.IsNullOrEmpty(header.Value) ? storedValue : header.Value;
            var problem = name.Length == 0 ? "A header needs a name."
                : name.Length > 64 || !name.All(IsTokenChar) ? $"'{Printable(name)}' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)."
                : ReservedHeaders.Contains(name) || name.StartsWith("X-KubeHa-", StringComparison.OrdinalIgnoreCase) ? $"KubeHa sets {name} itself; choose another header."
                : headers.ContainsKey(name) ? $"Header {name} is listed twice."
                : value is null ? $"Enter a value for header {name}."
                : value.Length > MaxHeaderValueLength ? $"The value of {name} is longer than {MaxHeaderValueLength} characters."
                : value.Any(c => char.IsControl(c) && c != '\t') ? $"The value of {name} cannot contain line breaks or control characters."
                : null;
            if (problem is not null)
            {
                errors.Add(nameof(AlertChannelInput.Headers), problem);
                continue;
            }

            headers[name] = value!;
        }

        if (errors.Any || uri is null)
        {
            return null;
        }

        var target = $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? "" : $":{uri.Port}")}" + (uri.PathAndQuery.Length > 1 || uri.UserInfo.Length > 0 ? "/…" : "/");
        return new Valid(
            new WebhookSettings(input.Format, target, headers.Keys.ToList()),
            null,
            new AlertChannelSecrets { Url = url, Headers = headers.Count > 0 ? headers : null });
    }

    private static Valid? ValidateEmail(AlertChannelInput input, AlertChannelSecrets? stored, FieldErrors errors)
    {
        var host = input.SmtpHost?.Trim() ?? "";
        if (host.Length == 0)
        {
            errors.Add(nameof(AlertChannelInput.SmtpHost), "Enter the SMTP server's host name or address.");
        }
        else if (host.Length > 255 || Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            errors.Add(nameof(AlertChannelInput.SmtpHost), $"'{Printable(host)}' is not a host name or IP address.");
        }

        if (input.SmtpPort is < 1 or > 65535)
        {
            errors.Add(nameof(AlertChannelInput.SmtpPort), "Enter a port from 1 to 65535 (587 for STARTTLS, 465 for TLS, 25 for a plain relay).");
        }

        if (!Enum.IsDefined(input.SmtpSecurity))
        {
            errors.Add(nameof(AlertChannelInput.SmtpSecurity), "Choose STARTTLS, TLS or none.");
        }

        var user = string.IsNullOrWhiteSpace(input.SmtpUserName) ? null : input.SmtpUserName.Trim();
        if (user is not null && (user.Length > 256 || user.Any(char.IsControl)))
        {
            errors.Add(nameof(AlertChannelInput.SmtpUserName), "Use at most 256 characters, without control characters.");
        }

        var password = string.IsNullOrEmpty(input.SmtpPassword) ? stored?.Password : input.SmtpPassword;
        if (user is null && !string.IsNullOrEmpty(input.SmtpPassword))
        {
            errors.Add(nameof(AlertChannelInput.SmtpUserName), "Enter the user name the password belongs to.");
        }
        else if (user is not null && password is null)
        {
            errors.Add(nameof(AlertChannelInput.SmtpPassword), "Enter the password for this user name.");
        }
        else if (user is not null && input.SmtpSecurity == SmtpSecurity.None && host.Length > 0 && !EmailAlertSender.IsLoopback(host))
        {
            errors.Add(nameof(AlertChannelInput.SmtpSecurity), "A password is never sent unencrypted to another machine: choose STARTTLS or TLS (no encryption is for a relay on this machine).");
        }

        var from = input.From?.Trim() ?? "";
        if (!IsAddress(from))
        {
            errors.Add(nameof(AlertChannelInput.From), from.Length == 0 ? "Enter the sender address, e.g. kubeha@example.com." : $"'{Printable(from)}' is not an e-mail address.");
        }

        var to = (input.To ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (to.Count == 0)
        {
            errors.Add(nameof(AlertChannelInput.To), "Enter at least one recipient.");
        }
        else if (to.Count > MaxRecipients)
        {
            errors.Add(nameof(AlertChannelInput.To), $"Use at most {MaxRecipients} recipients (a mailing list counts as one).");
        }
        else if (to.FirstOrDefault(t => !IsAddress(t)) is { } bad)
        {
            errors.Add(nameof(AlertChannelInput.To), $"'{Printable(bad)}' is not an e-mail address.");
        }

        return errors.Any
            ? null
            : new Valid(null, new EmailSettings(host, input.SmtpPort, input.SmtpSecurity, user, from, to), new AlertChannelSecrets { Password = user is null ? null : password });
    }

    /// <summary>One plain address (<c>name@domain</c>), as MimeKit parses it; display names and groups are refused.</summary>
    private static bool IsAddress(string text) =>
        text.Length is > 0 and <= 254 && !text.Any(char.IsControl)
        && MailboxAddress.TryParse(ParserOptions.Default, text, out var mailbox)
        && mailbox.Address == text && text.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < text.Length - 1;

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).Take(80).ToArray());

    private static Valid? Fail(FieldErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }
}
