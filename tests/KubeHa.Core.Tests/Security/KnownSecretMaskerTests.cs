using KubeHa.Core.Remote;
using KubeHa.Core.Security;

namespace KubeHa.Core.Tests.Remote;

public sealed class KnownSecretMaskerTests
{
    [Fact]
    public void Apply_PasswordAndKeyLines_Masked()
    {
        var key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACCSpcNtWW56\n-----END OPENSSH PRIVATE KEY-----";
        var masker = new KnownSecretMasker(["pa'ss word", key]);

        Assert.Equal("x *** y", masker.Apply("x pa'ss word y"));
        Assert.Equal("***", masker.Apply("QyNTUxOQAAACCSpcNtWW56"));
        Assert.Equal("nothing here", masker.Apply("nothing here"));
    }

    [Fact]
    public void Quote_EmbeddedSingleQuote_OneLiteralWord()
    {
        Assert.Equal("'it'\\''s'", ShellScript.Quote("it's"));
    }
}
