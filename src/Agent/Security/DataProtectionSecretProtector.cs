using System.Security.Cryptography;
using KubeHa.Core.Security;
using Microsoft.AspNetCore.DataProtection;

namespace KubeHa.Agent.Security;

/// <summary>Secrets at rest through ASP.NET Core Data Protection (AES-256-CBC + HMACSHA256, rotating key ring).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("KubeHa.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText)
    {
        try
        {
            return _protector.Unprotect(protectedText);
        }
        catch (CryptographicException ex)
        {
            throw new SecretUnreadableException(
                "A stored secret cannot be decrypted: the Data Protection key ring in the data directory is missing or was replaced. Re-enter the credential.",
                ex);
        }
    }
}
