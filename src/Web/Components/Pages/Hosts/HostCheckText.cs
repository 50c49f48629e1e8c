using KubeHa.Core.Hosts;
using MudBlazor;

namespace KubeHa.Web.Components.Pages.Hosts;

/// <summary>Operator-facing words and colours for check states and error kinds.</summary>
internal static class HostCheckText
{
    public static string Status(HostView host) => host.CheckStatus switch
    {
        HostCheckStatus.NeverChecked => "Not checked",
        HostCheckStatus.Queued => "Queued",
        HostCheckStatus.Running => "Checking",
        HostCheckStatus.Succeeded => "Ready",
        HostCheckStatus.Failed => host.CheckErrorKind is { } kind ? ErrorKind(kind) : "Failed",
        _ => host.CheckStatus.ToString(),
    };

    public static Color StatusColor(HostView host) => host.CheckStatus switch
    {
        HostCheckStatus.Succeeded => host.Warnings.Count > 0 ? Color.Warning : Color.Success,
        HostCheckStatus.Failed => Color.Error,
        HostCheckStatus.Queued or HostCheckStatus.Running => Color.Info,
        _ => Color.Default,
    };

    public static string ErrorKind(HostCheckErrorKind kind) => kind switch
    {
        HostCheckErrorKind.Unreachable => "Unreachable",
        HostCheckErrorKind.ConnectionRefused => "Connection refused",
        HostCheckErrorKind.AuthenticationFailed => "Authentication failed",
        HostCheckErrorKind.WrongPassphrase => "Wrong key passphrase",
        HostCheckErrorKind.HostKeyMismatch => "Host key mismatch",
        HostCheckErrorKind.SudoRequiresPassword => "sudo asks for a password",
        HostCheckErrorKind.Timeout => "Timed out",
        HostCheckErrorKind.CommandFailed => "Command failed",
        HostCheckErrorKind.InvalidCredential => "Credential unusable",
        HostCheckErrorKind.InvalidFacts => "Invalid facts",
        HostCheckErrorKind.HostKeyNotApproved => "Host key awaits approval",
        _ => kind.ToString(),
    };
}
