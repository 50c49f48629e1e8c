using KubeHa.Core.Alerts;
using KubeHa.Core.Inventory;

namespace KubeHa.Core.Tests.Alerts;

public class AlertChannelValidatorTests
{
    private static AlertChannelInput Webhook(string url = "https://hooks.slack.com/services/T0/B0/secret", params AlertHeaderInput[] headers) => new()
    {
        Name = "w", Kind = AlertChannelKind.Webhook, Events = [AlertEventKind.RunFailed], Url = url, Headers = headers.ToList(),
    };

    private static AlertChannelInput Email(string host, SmtpSecurity security, string? user = "u", string? password = "p") => new()
    {
        Name = "e", Kind = AlertChannelKind.Email, Events = [AlertEventKind.RunFailed], SmtpHost = host, SmtpPort = 25, SmtpSecurity = security,
        SmtpUserName = user, SmtpPassword = password, From = "kubeha@example.com", To = "ops@example.com; oncall@example.com\nops@example.com",
    };

    private static (AlertChannelValidator.Valid? Valid, IReadOnlyDictionary<string, string> Errors) Validate(AlertChannelInput input, AlertChannelSecrets? stored = null)
    {
        var errors = new FieldErrors();
        var valid = AlertChannelValidator.Validate(input, stored, errors);
        return (valid, errors.ToDictionary());
    }

    [Fact]
    public void Webhook_SlackUrl_StoredSecretShownAsSchemeAndHost()
    {
        var (valid, errors) = Validate(Webhook());

        Assert.Empty(errors);
        Assert.Equal("https://hooks.slack.com/…", valid!.Webhook!.Target);
        Assert.Equal("https://hooks.slack.com/services/T0/B0/secret", valid.Secrets.Url);
        Assert.Contains("/services/T0/B0/secret", valid.Secrets.Values());
    }

    [Theory]
    [InlineData("ftp://example.com/x")]
    [InlineData("/relative")]
    [InlineData("https://exa mple.com/")]
    [InlineData("https://example.com/\r\nX-Injected: 1")]
    public void Webhook_BadUrl_Refused(string url) =>
        Assert.StartsWith("Enter an absolute http:// or https:// URL", Validate(Webhook(url)).Errors["Url"], StringComparison.Ordinal);

    [Theory]
    [InlineData("Host", "x", "KubeHa sets Host itself; choose another header.")]
    [InlineData("X-KubeHa-Anything", "x", "KubeHa sets X-KubeHa-Anything itself; choose another header.")]
    [InlineData("Bad Name", "x", "'Bad Name' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only).")]
    [InlineData("X-Token", "a\r\nInjected: yes", "The value of X-Token cannot contain line breaks or control characters.")]
    [InlineData("X-Token", "", "Enter a value for header X-Token.")]
    public void Webhook_BadHeader_Refused(string name, string value, string message) =>
        Assert.Equal(message, Validate(Webhook(headers: new AlertHeaderInput { Name = name, Value = value })).Errors["Headers"]);

    [Fact]
    public void Webhook_EditWithEmptySecrets_KeepsStoredUrlAndHeaderValue()
    {
        var stored = new AlertChannelSecrets { Url = "https://example.com/stored", Headers = new Dictionary<string, string> { ["X-Token"] = "kept" } };

        var (valid, errors) = Validate(Webhook("", new AlertHeaderInput { Name = "x-token" }), stored);

        Assert.Empty(errors);
        Assert.Equal("https://example.com/stored", valid!.Secrets.Url);
        Assert.Equal("kept", valid.Secrets.Headers!["x-token"]);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("::1", true)]
    [InlineData("smtp.example.com", false)]
    [InlineData("10.0.0.5", false)]
    public void Email_PasswordWithoutEncryption_OnlyToLoopback(string host, bool accepted)
    {
        var (_, errors) = Validate(Email(host, SmtpSecurity.None));

        Assert.Equal(accepted, !errors.ContainsKey("SmtpSecurity"));
    }

    [Fact]
    public void Email_Recipients_SplitTrimmedAndDeduplicated()
    {
        var (valid, errors) = Validate(Email("smtp.example.com", SmtpSecurity.StartTls));

        Assert.Empty(errors);
        Assert.Equal(["ops@example.com", "oncall@example.com"], valid!.Email!.To);
        Assert.Equal("p", valid.Secrets.Password);
    }

    [Theory]
    [InlineData("Ops <ops@example.com>")]
    [InlineData("ops")]
    [InlineData("ops@")]
    public void Email_NotAPlainAddress_Refused(string from)
    {
        var input = Email("smtp.example.com", SmtpSecurity.StartTls);
        input.From = from;

        Assert.True(Validate(input).Errors.ContainsKey("From"));
    }

    [Fact]
    public void Events_TestOrNone_Refused()
    {
        var none = Webhook();
        none.Events = [];
        var test = Webhook();
        test.Events = [AlertEventKind.Test];

        Assert.Equal("Choose at least one event to send.", Validate(none).Errors["Events"]);
        Assert.StartsWith("Unknown event", Validate(test).Errors["Events"], StringComparison.Ordinal);
    }
}
