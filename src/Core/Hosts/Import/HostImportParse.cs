namespace KubeHa.Core.Hosts.Import;

/// <summary>What <see cref="HostImportParser"/> read: the format it recognised, the hosts, and what it could not read
/// (each message names the line or entry).</summary>
public sealed record HostImportParse(HostImportFormat Format, IReadOnlyList<ImportedHost> Hosts, IReadOnlyList<string> Errors);
