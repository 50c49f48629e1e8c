namespace KubeHa.Core.Hosts.Import;

/// <summary>Between parsed inventory rows and <see cref="HostInventory.ImportAsync"/>: the inputs to validate and the
/// messages it returned for one row (keys <c>hosts[i].Field</c>).</summary>
public static class HostImportRows
{
    /// <summary>One input per host; a host without ansible_user/user gets <paramref name="defaultUsername"/>.</summary>
    public static List<HostInput> ToInputs(IEnumerable<ImportedHost> hosts, string? defaultUsername, int? credentialId)
        => hosts.Select(h => new HostInput
        {
            Name = h.Name,
            Address = h.Address,
            Port = h.Port,
            Username = h.Username ?? defaultUsername ?? "",
            CredentialId = credentialId,
        }).ToList();

    /// <summary>The messages for row <paramref name="index"/>, by field (Name, Address, Port, Username, CredentialId).</summary>
    public static Dictionary<string, string> ErrorsOf(IReadOnlyDictionary<string, string> errors, int index)
    {
        var prefix = $"hosts[{index}].";
        return errors.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[prefix.Length..], e => e.Value, StringComparer.Ordinal);
    }
}
