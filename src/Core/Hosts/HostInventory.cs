using KubeHa.Core.Credentials;
using KubeHa.Core.Inventory;
using KubeHa.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Hosts;

/// <summary>
/// Adds, edits, deletes and lists hosts. Validation returns per-field messages; changes are announced on
/// <see cref="InventoryEvents"/> so open pages refresh. Checking is not done here (see <see cref="IHostCheckScheduler"/>).
/// </summary>
public sealed class HostInventory(IDbContextFactory<KubeHaDbContext> dbFactory, InventoryEvents events, TimeProvider clock)
{
    /// <summary>All hosts by name, with facts, last check and the warnings across the whole inventory.</summary>
    public async Task<IReadOnlyList<HostView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hosts = await db.Hosts.AsNoTracking().Include(h => h.Credential).ToListAsync(cancellationToken);
        var clusters = await db.ClusterNodes.AsNoTracking()
            .Select(n => new { n.HostId, ClusterName = n.Cluster!.Name })
            .ToListAsync(cancellationToken);
        var members = clusters.Select(c => c.HostId).ToHashSet();
        var warnings = FactWarnings.Evaluate(hosts.Select(h => new FactSubject(h.Id, h.Name, h.Facts, members.Contains(h.Id)))).ToLookup(w => w.HostId);

        return hosts
            .OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .Select(h => new HostView
            {
                Id = h.Id,
                Name = h.Name,
                Address = h.Address,
                Port = h.Port,
                Username = h.Username,
                CredentialId = h.CredentialId,
                CredentialName = h.Credential?.Name ?? "",
                CredentialKind = h.Credential?.Kind ?? CredentialKind.PrivateKey,
                CheckStatus = h.CheckStatus,
                CheckErrorKind = h.CheckErrorKind,
                CheckError = h.CheckError,
                CheckedAt = h.CheckedAt,
                HostKeyAlgorithm = h.HostKeyAlgorithm,
                HostKeyFingerprint = h.HostKeyFingerprint,
                HostKeyPinnedAt = h.HostKeyPinnedAt,
                Facts = h.Facts,
                ClusterName = clusters.FirstOrDefault(c => c.HostId == h.Id)?.ClusterName,
                Warnings = warnings[h.Id].ToList(),
            })
            .ToList();
    }

    public async Task<EditResult<HostSaved>> AddAsync(HostInput input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = await ValidateAsync(db, input, exceptId: null, cancellationToken);
        if (errors.Any)
        {
            return EditResult<HostSaved>.Invalid(errors.ToDictionary());
        }

        var host = NewHost(input, clock.GetUtcNow());
        db.Hosts.Add(host);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return EditResult<HostSaved>.Invalid(NameTaken(host.Name));
        }

        events.PublishHostChanged(host.Id);
        return EditResult<HostSaved>.Ok(new HostSaved(host.Id, PinnedKeyToVerify: false));
    }

    /// <summary>
    /// Adds several hosts at once (an imported inventory), all or none: every input is validated like
    /// <see cref="AddAsync"/> and against the others in the batch; errors are keyed <c>hosts[i].Field</c>.
    /// With <paramref name="dryRun"/> nothing is saved (the preview).
    /// </summary>
    public async Task<EditResult<IReadOnlyList<int>>> ImportAsync(IReadOnlyList<HostInput> inputs, bool dryRun, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var endpoints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var found = new Dictionary<string, string>((await ValidateAsync(db, input, exceptId: null, cancellationToken)).ToDictionary());
            var name = input.Name.Trim();
            if (!found.ContainsKey(nameof(HostInput.Name)) && !names.TryAdd(name, name))
            {
                found[nameof(HostInput.Name)] = $"'{name}' appears twice in the import.";
            }

            if (!found.ContainsKey(nameof(HostInput.Address)) && !found.ContainsKey(nameof(HostInput.Port)))
            {
                var endpoint = NetworkAddress.HostPort(HostInputRules.CanonicalAddress(input.Address), input.Port);
                if (!endpoints.TryAdd(endpoint, name))
                {
                    found[nameof(HostInput.Address)] = $"Host '{endpoints[endpoint]}' in this import already has the address {endpoint}.";
                }
            }

            foreach (var (field, message) in found)
            {
                errors[$"hosts[{i}].{field}"] = message;
            }
        }

        if (errors.Count > 0 || inputs.Count == 0)
        {
            return errors.Count > 0 ? EditResult<IReadOnlyList<int>>.Invalid(errors) : EditResult<IReadOnlyList<int>>.Refused("Nothing to import: choose at least one host.");
        }

        if (dryRun)
        {
            return EditResult<IReadOnlyList<int>>.Ok([]);
        }

        var now = clock.GetUtcNow();
        var hosts = inputs.Select(input => NewHost(input, now)).ToList();
        db.Hosts.AddRange(hosts);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return EditResult<IReadOnlyList<int>>.Refused("Another host with one of these names was added meanwhile; preview again.");
        }

        foreach (var host in hosts)
        {
            events.PublishHostChanged(host.Id);
        }

        return EditResult<IReadOnlyList<int>>.Ok(hosts.Select(h => h.Id).ToList());
    }

    /// <summary>
    /// Saves the connection settings. Nothing is cleared silently: facts and the pinned host key stay; when the
    /// endpoint changes, <see cref="HostSaved.PinnedKeyToVerify"/> tells the operator the next check verifies the key.
    /// </summary>
    public async Task<EditResult<HostSaved>> UpdateAsync(int id, HostInput input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var host = await db.Hosts.FirstOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (host is null)
        {
            return EditResult<HostSaved>.Refused("This host no longer exists.");
        }

        var errors = await ValidateAsync(db, input, exceptId: id, cancellationToken);
        if (errors.Any)
        {
            return EditResult<HostSaved>.Invalid(errors.ToDictionary());
        }

        var address = HostInputRules.CanonicalAddress(input.Address);
        var endpointChanged = !string.Equals(host.Address, address, StringComparison.OrdinalIgnoreCase) || host.Port != input.Port;
        host.Name = input.Name.Trim();
        host.Address = address;
        host.Port = input.Port;
        host.Username = input.Username.Trim();
        if (host.CredentialId != input.CredentialId!.Value && host.HostKeyPinnedAt is not null
            && await db.Credentials.AnyAsync(c => c.Id == input.CredentialId.Value && c.Kind == CredentialKind.Password, cancellationToken))
        {
            // A key pinned on first use with a private key was never approved by anyone: before a password goes to
            // this host, an operator approves the key (it stays recorded, so they approve the same one).
            host.HostKeyPinnedAt = null;
        }

        host.CredentialId = input.CredentialId.Value;
        host.UpdatedAt = clock.GetUtcNow();
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return EditResult<HostSaved>.Invalid(NameTaken(host.Name));
        }

        events.PublishHostChanged(id);
        return EditResult<HostSaved>.Ok(new HostSaved(id, endpointChanged && host.HostKeyFingerprint is not null));
    }

    /// <summary>Deletes a host that is not a cluster node; otherwise refuses and names the cluster.</summary>
    public async Task<EditResult> DeleteAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var host = await db.Hosts.FirstOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (host is null)
        {
            return EditResult.Ok();
        }

        var clusters = await db.ClusterNodes.Where(n => n.HostId == id).Select(n => n.Cluster!.Name).Distinct().ToListAsync(cancellationToken);
        if (clusters.Count > 0)
        {
            return EditResult.Refused(
                $"Host '{host.Name}' is a node of cluster {string.Join(", ", clusters.Select(c => $"'{c}'"))}. Remove it from the cluster first.");
        }

        db.Hosts.Remove(host);
        await db.SaveChangesAsync(cancellationToken);
        events.PublishHostChanged(id);
        return EditResult.Ok();
    }

    /// <summary>
    /// An operator approves the host key recorded on first contact with a password credential, after comparing
    /// <paramref name="fingerprint"/> with the host's own. From now on the key is pinned and the password is sent to
    /// a host presenting it. Refused when no key awaits approval or the fingerprint is not the recorded one.
    /// </summary>
    public async Task<EditResult> ApproveHostKeyAsync(int hostId, string? fingerprint, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var host = await db.Hosts.FirstOrDefaultAsync(h => h.Id == hostId, cancellationToken);
        if (host is null)
        {
            return EditResult.Refused("This host no longer exists.");
        }

        if (!host.HostKeyAwaitsApproval())
        {
            return EditResult.Refused(host.HostKeyFingerprint is null
                ? $"No host key of '{host.Name}' awaits approval: check the host first to record the key it presents."
                : $"The host key of '{host.Name}' is already pinned ({host.HostKeyFingerprint}).");
        }

        if (!string.Equals(fingerprint?.Trim(), host.HostKeyFingerprint, StringComparison.Ordinal))
        {
            return EditResult.Invalid(new Dictionary<string, string>
            {
                ["fingerprint"] = $"The key awaiting approval is {host.HostKeyFingerprint}; approve exactly that fingerprint, after comparing it with the host's own.",
            });
        }

        host.HostKeyPinnedAt = clock.GetUtcNow();
        if (host.CheckErrorKind == HostCheckErrorKind.HostKeyNotApproved)
        {
            host.CheckErrorKind = null;
            host.CheckError = null;
            host.CheckStatus = HostCheckStatus.NeverChecked;
        }

        host.UpdatedAt = host.HostKeyPinnedAt.Value;
        await db.SaveChangesAsync(cancellationToken);
        events.PublishHostChanged(hostId);
        return EditResult.Ok();
    }

    /// <summary>
    /// The operator explicitly trusts whatever key the host presents next: the pin is cleared (with the mismatch
    /// error it caused), so the next check pins the presented key as on first use (with a private key) or records it
    /// for approval (with a password).
    /// </summary>
    public async Task<EditResult> TrustNewHostKeyAsync(int hostId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var host = await db.Hosts.FirstOrDefaultAsync(h => h.Id == hostId, cancellationToken);
        if (host is null)
        {
            return EditResult.Refused("This host no longer exists.");
        }

        if (host.CheckStatus is HostCheckStatus.Queued or HostCheckStatus.Running)
        {
            return EditResult.Refused($"A check of '{host.Name}' is in progress; wait for it to finish.");
        }

        host.HostKeyAlgorithm = null;
        host.HostKeyFingerprint = null;
        host.HostKeyPinnedAt = null;
        if (host.CheckErrorKind == HostCheckErrorKind.HostKeyMismatch)
        {
            host.CheckErrorKind = null;
            host.CheckError = null;
            host.CheckStatus = HostCheckStatus.NeverChecked;
        }

        host.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        events.PublishHostChanged(hostId);
        return EditResult.Ok();
    }

    private static async Task<FieldErrors> ValidateAsync(KubeHaDbContext db, HostInput input, int? exceptId, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        await CatalogName.ValidateAsync(
            input.Name, "host", HostInputRules.MaxNameLength, db.Hosts.Where(h => h.Id != exceptId).Select(h => h.Name), nameof(HostInput.Name), errors, cancellationToken);

        AddIfInvalid(errors, nameof(HostInput.Address), HostInputRules.CheckAddress(input.Address));
        AddIfInvalid(errors, nameof(HostInput.Port), HostInputRules.CheckPort(input.Port));
        if (!errors.Has(nameof(HostInput.Address)) && !errors.Has(nameof(HostInput.Port))
            && await SameEndpointAsync(db, input, exceptId, cancellationToken) is { } other)
        {
            errors.Add(nameof(HostInput.Address), $"Host '{other.Name}' already has the address {other.Endpoint}: a machine is registered once.");
        }
        AddIfInvalid(errors, nameof(HostInput.Username), HostInputRules.CheckUsername(input.Username));

        if (input.CredentialId is not { } credentialId)
        {
            errors.Add(nameof(HostInput.CredentialId), "Choose the credential to log in with.");
        }
        else if (!await db.Credentials.AnyAsync(c => c.Id == credentialId, cancellationToken))
        {
            errors.Add(nameof(HostInput.CredentialId), "This credential no longer exists; choose another.");
        }

        return errors;
    }

    /// <summary>The host already registered at the same (canonical) address and SSH port, if any.</summary>
    private static async Task<(string Name, string Endpoint)?> SameEndpointAsync(KubeHaDbContext db, HostInput input, int? exceptId, CancellationToken cancellationToken)
    {
        var address = HostInputRules.CanonicalAddress(input.Address);
        var candidates = await db.Hosts.AsNoTracking()
            .Where(h => h.Id != exceptId && h.Port == input.Port)
            .Select(h => new { h.Name, h.Address })
            .ToListAsync(cancellationToken);
        var other = candidates.FirstOrDefault(h => string.Equals(h.Address, address, StringComparison.OrdinalIgnoreCase));
        return other is null ? null : (other.Name, NetworkAddress.HostPort(address, input.Port));
    }

    private static ManagedHost NewHost(HostInput input, DateTimeOffset now) => new()
    {
        Name = input.Name.Trim(),
        Address = HostInputRules.CanonicalAddress(input.Address),
        Port = input.Port,
        Username = input.Username.Trim(),
        CredentialId = input.CredentialId!.Value,
        CheckStatus = HostCheckStatus.NeverChecked,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static void AddIfInvalid(FieldErrors errors, string field, string? message)
    {
        if (message is not null)
        {
            errors.Add(field, message);
        }
    }

    private static Dictionary<string, string> NameTaken(string name)
        => new() { [nameof(HostInput.Name)] = $"A host named '{name}' already exists." };
}
