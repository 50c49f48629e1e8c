namespace KubeHa.Core.Remote;

/// <summary>How a session gains root.</summary>
public enum SudoMode
{
    /// <summary>The login user is root; no sudo needed.</summary>
    Root = 0,

    /// <summary>sudo -n works (NOPASSWD).</summary>
    Passwordless = 1,

    /// <summary>sudo asks for a password and the stored login password is accepted (fed on stdin).</summary>
    WithPassword = 2,
}
