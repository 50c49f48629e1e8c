using System.Text;
using KubeHa.Core.Security;

namespace KubeHa.Core.Tests.Support;

/// <summary>Reversible stand-in for Data Protection in unit tests (the real one is tested in KubeHa.Web.Tests).</summary>
public sealed class FakeSecretProtector : ISecretProtector
{
    public string Protect(string plaintext) => "fake:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(new string(plaintext.Reverse().ToArray())));

    public string Unprotect(string protectedText)
        => new(Encoding.UTF8.GetString(Convert.FromBase64String(protectedText["fake:".Length..])).Reverse().ToArray());
}
