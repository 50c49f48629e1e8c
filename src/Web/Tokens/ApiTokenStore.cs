using System.Security.Cryptography;
using System.Text;
using KubeHa.Core.Inventory;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Web.Tokens;

/// <summary>
/// Creates, lists, revokes and verifies API tokens. A token is <c>kubeha_</c> followed by 256 random bits
/// (base64url); only its SHA-256 hash is stored, so a copy of the database cannot be used to call the API.
/// </summary>
public sealed class ApiTokenStore(KubeHaIdentityDbContext db, UserManager<KubeHaUser> users, TimeProvider clock)
{
    public const string TokenPrefix = "kubeha_";
    public const int MaxNameLength = 128;
    private const int ShownPrefixLength = 12;

    /// <summary>How often the last-used time is written at most, per token.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await db.ApiTokens.AsNoTracking()
            .Join(db.Users, t => t.OwnerId, u => u.Id, (t, u) => new { Token = t, Owner = u.UserName })
            .ToListAsync(cancellationToken);
        return rows
            .OrderBy(r => r.Token.RevokedAt is not null).ThenBy(r => r.Token.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => ToView(r.Token, r.Owner ?? "?"))
            .ToList();
    }

    /// <summary>Creates a token for <paramref name="ownerUserName"/>; it acts with that user's role.</summary>
    public async Task<EditResult<CreatedApiToken>> CreateAsync(string? name, string ownerUserName, string? createdBy, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors["name"] = "Give the token a name that says what uses it (e.g. \"ci-pipeline\").";
        }
        else if (trimmed.Length > MaxNameLength)
        {
            errors["name"] = $"Use at most {MaxNameLength} characters.";
        }
        else if (trimmed.Any(char.IsControl))
        {
            errors["name"] = "The name cannot contain control characters.";
        }

        var owner = await users.FindByNameAsync(ownerUserName);
        if (owner is null)
        {
            errors["owner"] = $"There is no user named '{ownerUserName}'.";
        }

        if (errors.Count > 0)
        {
            return EditResult<CreatedApiToken>.Invalid(errors);
        }

        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new ApiToken
        {
            Name = trimmed,
            Hash = Hash(token),
            Prefix = token[..ShownPrefixLength],
            OwnerId = owner!.Id,
            CreatedBy = createdBy,
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return EditResult<CreatedApiToken>.Ok(new CreatedApiToken(ToView(row, owner.UserName ?? ownerUserName), token));
    }

    /// <summary>Revokes a token: from now on requests with it get 401. Revoking twice is harmless.</summary>
    public async Task<ApiTokenView?> RevokeAsync(int id, CancellationToken cancellationToken)
    {
        var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        row.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var owner = await users.FindByIdAsync(row.OwnerId);
        return ToView(row, owner?.UserName ?? "?");
    }

    /// <summary>
    /// The owner of a valid, unrevoked token, or null. Password lockout does not apply: it guards the sign-in form
    /// against guessing, and anyone could otherwise switch a token off by failing five sign-ins as its owner.
    /// Updates the last-used time when it is older than <see cref="LastUsedResolution"/>.
    /// </summary>
    public async Task<(ApiToken Token, KubeHaUser Owner)?> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return null;
        }

        var hash = Hash(token);
        var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        if (row is null || row.RevokedAt is not null)
        {
            return null;
        }

        var owner = await users.FindByIdAsync(row.OwnerId);
        if (owner is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (row.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
            row.LastUsedAt = now;
        }

        return (row, owner);
    }

    /// <summary>Makes <paramref name="token"/> a valid admin token owned by <paramref name="admin"/>; idempotent.</summary>
    public async Task<bool> EnsureBootstrapAsync(string token, KubeHaUser admin, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        if (await db.ApiTokens.AnyAsync(t => t.Hash == hash, cancellationToken))
        {
            return false;
        }

        db.ApiTokens.Add(new ApiToken
        {
            Name = "bootstrap (KubeHa__Bootstrap__ApiToken)",
            Hash = hash,
            Prefix = token[..Math.Min(ShownPrefixLength, token.Length / 4)],
            OwnerId = admin.Id,
            CreatedBy = "start-up",
            CreatedAt = clock.GetUtcNow(),
            IsBootstrap = true,
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiTokenView ToView(ApiToken t, string owner)
        => new(t.Id, t.Name, t.Prefix, owner, t.CreatedBy, t.CreatedAt, t.LastUsedAt, t.RevokedAt, t.IsBootstrap);
}
