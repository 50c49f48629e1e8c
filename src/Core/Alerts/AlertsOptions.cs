using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Alerts;

/// <summary>How alerts are delivered (section "KubeHa:Alerts").</summary>
public sealed class AlertsOptions : IValidatableObject
{
    public const string Section = "KubeHa:Alerts";

    /// <summary>
    /// The panel's address as operators reach it (e.g. <c>https://kubeha.example.com</c>); when set, every alert links
    /// to its run, cluster or agents page. Unset: alerts carry no link.
    /// </summary>
    public string? PanelUrl { get; set; }

    /// <summary>How often each agent looks for due deliveries (an alert raised in the same process goes out at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause after the first failed attempt; doubled after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a delivery is given up (10: about three hours with the default delays).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How long one attempt may take (connect, send, answer).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Deliveries sent at once by one agent.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    /// <summary>Finished deliveries (delivered, failed, cancelled) older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan KeepDeliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an agent holds a delivery it is sending; after that (a crash mid-send) another may send it.</summary>
    public TimeSpan Lease => SendTimeout + TimeSpan.FromSeconds(30);

    /// <summary>The pause after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan BackoffAfter(int attempt, TimeSpan? retryAfter = null)
    {
        var doublings = Math.Clamp(attempt - 1, 0, 30);
        var ticks = Math.Min(RetryDelay.Ticks * Math.Pow(2, doublings), MaxRetryDelay.Ticks);
        var delay = TimeSpan.FromTicks((long)ticks);
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < MaxRetryDelay ? asked : MaxRetryDelay;
        }

        return delay;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelay < RetryDelay)
        {
            yield return new ValidationResult("KubeHa:Alerts:MaxRetryDelay must not be shorter than RetryDelay.", [nameof(MaxRetryDelay)]);
        }

        if (!string.IsNullOrEmpty(PanelUrl)
            && !(Uri.TryCreate(PanelUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0 && uri.UserInfo.Length == 0))
        {
            yield return new ValidationResult("KubeHa:Alerts:PanelUrl must be an http(s) address without query or user info, e.g. https://kubeha.example.com.", [nameof(PanelUrl)]);
        }
    }
}
