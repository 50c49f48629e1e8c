namespace KubeHa.Core.Security;

/// <summary>A stored secret can no longer be decrypted, typically because the key ring in the data directory was lost.</summary>
public sealed class SecretUnreadableException : Exception
{
    public SecretUnreadableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
