using KubeHa.Testing.Ssh;

namespace KubeHa.E2E.Infrastructure;

/// <summary>Browser tests share one Chromium and one real sshd; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<SshdFixture>
{
    public const string Name = "e2e";
}
