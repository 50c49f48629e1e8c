using System.Text.Json;
using KubeHa.Core.Inventory;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Alerts;

/// <summary>
/// Creates, edits, lists and deletes alert channels. Secrets (webhook URL and header values, SMTP password) are
/// encrypted with <see cref="ISecretProtector"/> before they reach the catalog and never come back out of it, except
/// to the dispatcher that sends.
/// </summary>
public sealed class AlertChannelStore(IDbContextFactory<KubeHaDbContext> dbFactory, ISecretProtector protector, TimeProvider clock)
{
    public async Task<IReadOnlyList<AlertChannelView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var channels = await db.AlertChannels.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var views = new List<AlertChannelView>(channels.Count);
        foreach (var channel in channels)
        {
            var last = await db.AlertDeliveries.AsNoTracking().Where(d => d.ChannelId == channel.Id).OrderByDescending(d => d.Id)
                .Select(d => new { d.Status, d.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
            views.Add(View(channel, last?.Status, last?.CreatedAt));
        }

        return views.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<AlertChannelView?> GetAsync(int id, CancellationToken cancellationToken)
        => (await ListAsync(cancellationToken)).FirstOrDefault(c => c.Id == id);

    public async Task<EditResult<int>> CreateAsync(AlertChannelInput input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = new FieldErrors();
        var name = await ValidateNameAsync(db, input.Name, exceptId: null, errors, cancellationToken);
        var valid = AlertChannelValidator.Validate(input, stored: null, errors);
        if (errors.Any || valid is null)
        {
            return EditResult<int>.Invalid(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var channel = new AlertChannel
        {
            Name = name,
            Kind = input.Kind,
            Enabled = input.Enabled,
            Events = input.Events.Distinct().Order().ToList(),
            Webhook = valid.Webhook,
            Email = valid.Email,
            ProtectedSecrets = Protect(valid.Secrets),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.AlertChannels.Add(channel);
        return await db.TrySaveChangesAsync(cancellationToken) ? EditResult<int>.Ok(channel.Id) : EditResult<int>.Invalid(NameTaken(name));
    }

    /// <summary>
    /// Edits a channel; empty secrets keep the stored ones (unless the kind changes). Disabling it cancels its pending
    /// deliveries, so re-enabling it later does not send stale alerts.
    /// </summary>
    public async Task<EditResult> UpdateAsync(int id, AlertChannelInput input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var channel = await db.AlertChannels.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (channel is null)
        {
            return EditResult.Refused("This alert channel no longer exists.");
        }

        var errors = new FieldErrors();
        var name = await ValidateNameAsync(db, input.Name, exceptId: id, errors, cancellationToken);
        var stored = channel.Kind == input.Kind ? Unprotect(channel.ProtectedSecrets) : null;
        var valid = AlertChannelValidator.Validate(input, stored, errors);
        if (errors.Any || valid is null)
        {
            return EditResult.Invalid(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        channel.Name = name;
        channel.Kind = input.Kind;
        channel.Enabled = input.Enabled;
        channel.Events = input.Events.Distinct().Order().ToList();
        channel.Webhook = valid.Webhook;
        channel.Email = valid.Email;
        channel.ProtectedSecrets = Protect(valid.Secrets);
        channel.UpdatedAt = now;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return EditResult.Invalid(NameTaken(name));
        }

        if (!input.Enabled)
        {
            await db.AlertDeliveries.Where(d => d.ChannelId == id && d.Status == AlertDeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, AlertDeliveryStatus.Cancelled)
                    .SetProperty(d => d.FinishedAt, now)
                    .SetProperty(d => d.Error, "Not sent: the channel was disabled."), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return EditResult.Ok();
    }

    /// <summary>Deletes a channel, its secrets and its deliveries (pending ones are not sent). False when it did not exist.</summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AlertDeliveries.Where(d => d.ChannelId == id).ExecuteDeleteAsync(cancellationToken);
        var deleted = await db.AlertChannels.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return deleted == 1;
    }

    private string Protect(AlertChannelSecrets secrets) => protector.Protect(JsonSerializer.Serialize(secrets, AlertJson.Options));

    /// <summary>The stored secrets, or none when they cannot be read (key ring replaced): the edit must then enter them again.</summary>
    private AlertChannelSecrets? Unprotect(string protectedSecrets)
    {
        try
        {
            return JsonSerializer.Deserialize<AlertChannelSecrets>(protector.Unprotect(protectedSecrets), AlertJson.Options);
        }
        catch (Exception ex) when (ex is SecretUnreadableException or JsonException)
        {
            return null;
        }
    }

    private static AlertChannelView View(AlertChannel c, AlertDeliveryStatus? lastStatus, DateTimeOffset? lastAt) => new(
        c.Id, c.Name, c.Kind, c.Enabled, c.Events, c.Webhook, c.Email, c.Email?.UserName is not null, c.CreatedAt, c.UpdatedAt, lastStatus, lastAt);

    private static Task<string> ValidateNameAsync(KubeHaDbContext db, string? raw, int? exceptId, FieldErrors errors, CancellationToken cancellationToken) =>
        CatalogName.ValidateAsync(raw, "alert channel", AlertChannel.MaxNameLength, db.AlertChannels.Where(c => c.Id != exceptId).Select(c => c.Name), nameof(AlertChannelInput.Name), errors, cancellationToken);

    private static IReadOnlyDictionary<string, string> NameTaken(string name)
        => new Dictionary<string, string> { [nameof(AlertChannelInput.Name)] = $"An alert channel named '{name}' already exists." };
}
