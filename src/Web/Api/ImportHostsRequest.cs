using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts.Import;

namespace KubeHa.Web.Api;

/// <summary>
/// <c>POST /api/v1/hosts/import</c>: an inventory (Ansible INI or YAML, CSV with a header, the lab's inventory JSON) and
/// how to register its hosts.
/// </summary>
/// <param name="Content">The inventory text.</param>
/// <param name="Format">auto (default), ansible-ini, ansible-yaml, csv or lab-json.</param>
/// <param name="CredentialId">The stored credential every imported host logs in with.</param>
/// <param name="Username">For hosts the inventory gives no user (ansible_user).</param>
/// <param name="Names">Import only these hosts of the inventory (all when omitted).</param>
/// <param name="DryRun">Only parse and validate: the preview, nothing saved.</param>
/// <param name="Check">Queue a check of every imported host (default true).</param>
public sealed record ImportHostsRequest(
    string? Content,
    HostImportFormat? Format = null,
    int? CredentialId = null,
    string? Username = null,
    IReadOnlyList<string>? Names = null,
    bool DryRun = false,
    bool Check = true);

/// <summary>The preview (dry run) or the outcome of an import.</summary>
/// <param name="Format">The format the text was read as.</param>
/// <param name="Hosts">Every host read, with suggested roles and what is wrong with it (empty when it can be imported).</param>
/// <param name="Created">The hosts registered (empty for a dry run).</param>
public sealed record ImportHostsResponse(HostImportFormat Format, IReadOnlyList<ImportedHostResponse> Hosts, IReadOnlyList<HostResponse> Created);

/// <summary>A host read from the inventory.</summary>
public sealed record ImportedHostResponse(
    string Name, string Address, int Port, string Username, IReadOnlyList<string> Groups, IReadOnlyList<NodeRole> SuggestedRoles, IReadOnlyDictionary<string, string> Errors);
