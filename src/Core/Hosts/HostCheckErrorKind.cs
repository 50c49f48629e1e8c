namespace KubeHa.Core.Hosts;

/// <summary>Why a host check failed; stable values, stored and shown.</summary>
public enum HostCheckErrorKind
{
    Unreachable = 1,
    ConnectionRefused = 2,
    AuthenticationFailed = 3,
    WrongPassphrase = 4,
    HostKeyMismatch = 5,
    SudoRequiresPassword = 6,
    Timeout = 7,
    CommandFailed = 8,
    InvalidCredential = 9,

    /// <summary>The host reported facts KubeHa refuses (a hostname that cannot be a node name).</summary>
    InvalidFacts = 10,

    /// <summary>
    /// First contact with a password credential: the host's key was recorded and the connection closed before
    /// authenticating. No password is sent until an operator approves the key (<see cref="HostInventory.ApproveHostKeyAsync"/>).
    /// </summary>
    HostKeyNotApproved = 11,
}
