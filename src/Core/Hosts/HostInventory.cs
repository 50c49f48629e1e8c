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
        var warnings = FactWarnings.Evaluate(hosts.Select(h => (h.Id, h.Facts))).ToLookup(w => w.HostId);

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

        var now = clock.GetUtcNow();
        var host = new ManagedHost
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
        db.Hosts.Add(host);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return EditResult<HostSaved>.Invalid(NameTaken(host.Name));
        }

        events.PublishHostChanged(host.Id);
        return EditResult<HostSaved>.Ok(new HostSaved(host.Id, PinnedKeyToVerify: false));
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
        host.CredentialId = input.CredentialId!.Value;
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
    /// The operator explicitly trusts whatever key the host presents next: the pin is cleared (with the mismatch
    /// error it caused), so the next check pins the presented key as on first use.
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
