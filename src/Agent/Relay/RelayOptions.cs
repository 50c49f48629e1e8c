using Microsoft.AspNetCore.Http.Connections.Client;

namespace KubeHa.Agent.Relay;

/// <summary>
/// <c>KubeHa__Agent__WebUrl</c>: where a standalone agent relays its runs' live events (Web's base URL, e.g.
/// <c>http://web:8080</c>). The relay runs only when this and <c>KubeHa__Agents__Token</c> are both set.
/// </summary>
public sealed class RelayOptions
{
    public const string Section = "KubeHa:Agent";

    public Uri? WebUrl { get; set; }

    /// <summary>Most events sent in one hub call (Web accepts at most 1000).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long the first event of a batch waits for more before the batch is sent.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Set in code only (not configuration): adjusts the hub connection (tests route it to an in-memory server).</summary>
    public Action<HttpConnectionOptions>? ConfigureConnection { get; set; }
}
