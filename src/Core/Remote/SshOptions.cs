using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Remote;

/// <summary>SSH client behaviour (section "KubeHa:Ssh").</summary>
public sealed class SshOptions
{
    public const string Section = "KubeHa:Ssh";

    /// <summary>Budget for TCP connect, SSH handshake and authentication together.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Budget for one whole host check (connect, sudo, facts): a host that accepts the login and then stops answering
    /// fails the check with a Timeout instead of holding a worker and staying "running".
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Keep-alive interval for long-lived sessions (provisioning runs).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);
}
