namespace KubeHa.Core.Alerts;

/// <summary>What an e-mail channel stores in clear; its password is in the channel's protected secrets.</summary>
public sealed record EmailSettings(string Host, int Port, SmtpSecurity Security, string? UserName, string From, IReadOnlyList<string> To);
