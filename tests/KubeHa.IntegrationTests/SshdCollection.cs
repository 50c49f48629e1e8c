using KubeHa.Testing.Ssh;

namespace KubeHa.IntegrationTests;

/// <summary>Tests that share one real sshd and the khtest-* accounts; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SshdCollection : ICollectionFixture<SshdFixture>
{
    public const string Name = "sshd";
}
