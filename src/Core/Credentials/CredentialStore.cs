using KubeHa.Core.Inventory;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Credentials;

/// <summary>
/// Creates, updates, lists and deletes SSH credentials. Secrets are validated (a key is loaded with SSH.NET),
/// encrypted with <see cref="ISecretProtector"/> before they reach the catalog, and never returned.
/// </summary>
public sealed class CredentialStore(IDbContextFactory<KubeHaDbContext> dbFactory, ISecretProtector protector, TimeProvider clock)
{
    public const int MaxNameLength = 128;

    public async Task<IReadOnlyList<CredentialSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credentials = await db.Credentials.AsNoTracking()
            .Select(c => new { c.Id, c.Name, c.Kind, c.PublicKeyFingerprint, HasPassphrase = c.ProtectedPassphrase != null, c.CreatedAt, c.UpdatedAt })
            .ToListAsync(cancellationToken);
        var users = await db.Hosts.AsNoTracking().Select(h => new { h.CredentialId, h.Name }).ToListAsync(cancellationToken);
        return credentials
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CredentialSummary(
                c.Id, c.Name, c.Kind, c.PublicKeyFingerprint, c.HasPassphrase,
                users.Where(u => u.CredentialId == c.Id).Select(u => u.Name).Order(StringComparer.OrdinalIgnoreCase).ToList(),
                c.CreatedAt, c.UpdatedAt))
            .ToList();
    }

    public async Task<CredentialSummary?> GetAsync(int id, CancellationToken cancellationToken)
        => (await ListAsync(cancellationToken)).FirstOrDefault(c => c.Id == id);

    public async Task<EditResult<int>> CreateAsync(CredentialInput input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = new FieldErrors();
        var name = await ValidateNameAsync(db, input.Name, exceptId: null, errors, cancellationToken);
        var secret = ValidateSecret(input, required: true, errors);
        if (errors.Any)
        {
            return EditResult<int>.Invalid(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var credential = new Credential
        {
            Name = name,
            Kind = input.Kind,
            ProtectedSecret = protector.Protect(secret!.Secret),
            ProtectedPassphrase = secret.Passphrase is null ? null : protector.Protect(secret.Passphrase),
            PublicKeyFingerprint = secret.Fingerprint,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Credentials.Add(credential);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return EditResult<int>.Invalid(NameTaken(name));
        }

        return EditResult<int>.Ok(credential.Id);
    }

    /// <summary>Renames or replaces the secret. A blank secret keeps the stored one, unless the kind changes.</summary>
    public async Task<EditResult> UpdateAsync(int id, CredentialInput input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (credential is null)
        {
            return EditResult.Refused("This credential no longer exists.");
        }

        var errors = new FieldErrors();
        var name = await ValidateNameAsync(db, input.Name, exceptId: id, errors, cancellationToken);
        var newSecretGiven = input.Kind == CredentialKind.PrivateKey
            ? !string.IsNullOrWhiteSpace(input.PrivateKey)
            : !string.IsNullOrEmpty(input.Password);
        var secret = ValidateSecret(input, required: input.Kind != credential.Kind || newSecretGiven, errors);
        if (errors.Any)
        {
            return EditResult.Invalid(errors.ToDictionary());
        }

        credential.Name = name;
        credential.Kind = input.Kind;
        if (secret is not null)
        {
            credential.ProtectedSecret = protector.Protect(secret.Secret);
            credential.ProtectedPassphrase = secret.Passphrase is null ? null : protector.Protect(secret.Passphrase);
            credential.PublicKeyFingerprint = secret.Fingerprint;
        }

        credential.UpdatedAt = clock.GetUtcNow();
        return await db.TrySaveChangesAsync(cancellationToken) ? EditResult.Ok() : EditResult.Invalid(NameTaken(name));
    }

    /// <summary>Deletes a credential no host uses; otherwise refuses and names the hosts.</summary>
    public async Task<EditResult> DeleteAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (credential is null)
        {
            return EditResult.Ok();
        }

        var hosts = await db.Hosts.Where(h => h.CredentialId == id).Select(h => h.Name).ToListAsync(cancellationToken);
        if (hosts.Count > 0)
        {
            return EditResult.Refused(
                $"Credential '{credential.Name}' is used by {Names(hosts)}. Give {(hosts.Count == 1 ? "that host" : "those hosts")} another credential first.");
        }

        db.Credentials.Remove(credential);
        await db.SaveChangesAsync(cancellationToken);
        return EditResult.Ok();
    }

    internal static string Names(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.OrdinalIgnoreCase).Select(n => $"'{n}'").ToList();
        return list.Count == 1 ? $"host {list[0]}" : $"hosts {string.Join(", ", list)}";
    }

    private static Task<string> ValidateNameAsync(KubeHaDbContext db, string? raw, int? exceptId, FieldErrors errors, CancellationToken cancellationToken) =>
        CatalogName.ValidateAsync(raw, "credential", MaxNameLength, db.Credentials.Where(c => c.Id != exceptId).Select(c => c.Name), nameof(CredentialInput.Name), errors, cancellationToken);

    private static ValidSecret? ValidateSecret(CredentialInput input, bool required, FieldErrors errors)
    {
        if (!required)
        {
            return null;
        }

        switch (input.Kind)
        {
            case CredentialKind.PrivateKey:
                var inspection = PrivateKeyInspector.Inspect(input.PrivateKey, input.Passphrase);
                if (!inspection.IsValid)
                {
                    errors.Add(inspection.ErrorField!, inspection.Error!);
                    return null;
                }

                // A passphrase given for an unencrypted key means nothing; it is not stored.
                return new ValidSecret(input.PrivateKey!.Trim() + "\n", inspection.Encrypted ? input.Passphrase : null, inspection.Fingerprint);

            case CredentialKind.Password:
                if (string.IsNullOrEmpty(input.Password))
                {
                    errors.Add(nameof(CredentialInput.Password), "Enter the password.");
                    return null;
                }

                return new ValidSecret(input.Password, null, null);

            default:
                errors.Add(nameof(CredentialInput.Kind), "Choose a private key or a password.");
                return null;
        }
    }

    private static IReadOnlyDictionary<string, string> NameTaken(string name)
        => new Dictionary<string, string> { [nameof(CredentialInput.Name)] = $"A credential named '{name}' already exists." };

    private sealed record ValidSecret(string Secret, string? Passphrase, string? Fingerprint)
    {
        public override string ToString() => "ValidSecret";
    }
}
