using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Remote;

/// <summary>SSH client behaviour (section "KubeHa:Ssh").</summary>
public sealed class SshOptions
{
    public const string Section = "KubeHa:Ssh";

    /// <summary>Budget for TCP connect, SSH handshake and authentication together.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Keep-alive interval for long-lived sessions (provisioning runs).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);
}
