namespace KubeHa.Core.Alerts;

/// <summary>How an e-mail channel protects its SMTP connection.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS, required (usually port 587): the connection fails rather than continue unencrypted.</summary>
    StartTls = 0,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    Tls = 1,

    /// <summary>No encryption (a relay on this machine, port 25); a password is refused unless the server is on loopback.</summary>
    None = 2,
}
