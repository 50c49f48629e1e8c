namespace KubeHa.Core.Hosts;

/// <summary>A host was saved.</summary>
/// <param name="Id">The host.</param>
/// <param name="PinnedKeyToVerify">The address or port changed while a host key is pinned: the key is kept and the
/// next check verifies that the new endpoint presents it (a mismatch is refused until an operator re-trusts).</param>
public sealed record HostSaved(int Id, bool PinnedKeyToVerify);
