using KubeHa.Core.Credentials;

namespace KubeHa.Core.Hosts;

/// <summary>A host as the inventory shows it: connection, last check, facts and the warnings they raise.</summary>
public sealed record HostView
{
    public required int Id { get; init; }

    public required string Name { get; init; }

    public required string Address { get; init; }

    public required int Port { get; init; }

    public required string Username { get; init; }

    public required int CredentialId { get; init; }

    public required string CredentialName { get; init; }

    public CredentialKind CredentialKind { get; init; }

    public HostCheckStatus CheckStatus { get; init; }

    public HostCheckErrorKind? CheckErrorKind { get; init; }

    public string? CheckError { get; init; }

    public DateTimeOffset? CheckedAt { get; init; }

    public string? HostKeyAlgorithm { get; init; }

    public string? HostKeyFingerprint { get; init; }

    public DateTimeOffset? HostKeyPinnedAt { get; init; }

    public HostFacts? Facts { get; init; }

    /// <summary>The cluster this host is a node of, if any.</summary>
    public string? ClusterName { get; init; }

    public IReadOnlyList<FactWarning> Warnings { get; init; } = [];

    public bool IsBusy => CheckStatus is HostCheckStatus.Queued or HostCheckStatus.Running;

    public string Endpoint => NetworkAddress.HostPort(Address, Port);

    public HostInput ToInput() => new() { Name = Name, Address = Address, Port = Port, Username = Username, CredentialId = CredentialId };
}
