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
    public void Apply_ShortSecret_MaskedOnlyAsAWholeWordSoTheMasksDoNotSpellItOut()
    {
        var masker = new KnownSecretMasker(["root", "ab"]);

        // Inside other words a 4-character password stays: masking "root" in "rootfs" would show where it occurs.
        Assert.Equal("mounting rootfs on /var/lib/kubelet/table", masker.Apply("mounting rootfs on /var/lib/kubelet/table"));
        Assert.Equal("sudo: password was ***", masker.Apply("sudo: password was root"));
        Assert.Equal("echo *** | sudo -S true", masker.Apply("echo root | sudo -S true"));

        // Two characters cannot be masked without revealing them: left to the shape rules.
        Assert.Equal("a table about ab", masker.Apply("a table about ab"));
    }

    [Fact]
    public void Quote_EmbeddedSingleQuote_OneLiteralWord()
    {
        Assert.Equal("'it'\\''s'", ShellScript.Quote("it's"));
    }
}
