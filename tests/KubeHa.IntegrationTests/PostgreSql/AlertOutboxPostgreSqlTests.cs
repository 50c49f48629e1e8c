using System.Text.Json;
using KubeHa.Agent.Security;
using KubeHa.Core.Agents;
using KubeHa.Core.Alerts;
using KubeHa.Core.Clusters;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Testing.Alerts;
using KubeHa.Testing.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>
/// The alert outbox on PostgreSQL, where several agents share it: the migrated tables, a run's outcome and its alert in
/// one transaction, two dispatchers racing over the same due deliveries (each sent exactly once), and two watchers
/// racing over one silent agent (reported once).
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgresql")]
public sealed class AlertOutboxPostgreSqlTests(PostgreSqlServer server)
{
    [Fact]
    public async Task DeliverDueAsync_TwoAgentsRacing_EachDeliverySentExactlyOnce()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        await using var receiver = await WebhookReceiver.StartAsync();
        var protector = new DataProtectionSecretProtector(new EphemeralDataProtectionProvider());
        var channels = new AlertChannelStore(catalog.Factory, protector, TimeProvider.System);
        var created = await channels.CreateAsync(new AlertChannelInput
        {
            Name = "pg-hook", Kind = AlertChannelKind.Webhook, Url = receiver.Url("/pg"), Events = [AlertEventKind.RunFailed, AlertEventKind.BackupFailed],
        }, default);
        Assert.True(created.Succeeded);
        var clusterId = await catalog.AddClusterAsync(PostgreSqlLedgerTests.Spec, PostgreSqlLedgerTests.Roles);
        var run = await catalog.Ledger.CreateRunAsync(clusterId, new PlanCatalog(null!).Get(PlanCatalog.Create), null, "ops", default);
        Assert.True(await catalog.Ledger.TryClaimAsync(run.Id, "agent-a", 1, default));
        Assert.True(await catalog.Ledger.FinishRunAsync(run.Id, new RunOwner("agent-a", 1), RunStatus.Failed, "etcd did not start", ClusterStatus.Failed, default));
        var raiser = new AlertRaiser(catalog.Factory, new AlertDeliverySignal());
        for (var i = 0; i < 30; i++)
        {
            await raiser.RaiseAsync(AlertEvent.BackupFailed(new AlertCluster(clusterId, "pg"), new AlertBackup(i, null, null, $"backup {i} failed"), DateTimeOffset.UtcNow), default);
        }

        var options = Options.Create(new AlertsOptions { Parallelism = 8 });
        AlertDispatcher Dispatcher() => new(catalog.Factory, [new WebhookAlertSender()], protector, options, TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
        var (a, b) = (Dispatcher(), Dispatcher());
        for (var pass = 0; pass < 5; pass++)
        {
            await Task.WhenAll(a.DeliverDueAsync("agent-a", default), b.DeliverDueAsync("agent-b", default));
        }

        var ids = receiver.Requests.Where(r => r.Path == "/pg").Select(r => r.Headers["X-KubeHa-Event-Id"]).ToList();
        Assert.Equal(31, ids.Count);
        Assert.Equal(31, ids.Distinct().Count());
        Assert.Contains(receiver.Requests, r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event").GetString() == "run-failed"
                                               && r.Body.Contains("etcd did not start", StringComparison.Ordinal));
        await using var db = await catalog.Factory.CreateDbContextAsync();
        var deliveries = await db.AlertDeliveries.AsNoTracking().ToListAsync();
        Assert.Equal(31, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((AlertDeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task MarkOfflineAsync_TwoWatchersRacing_OneAlertThenOnlineOnTheNextHeartbeat()
    {
        var catalog = await PostgreSqlCatalog.CreateAsync(server);
        var protector = new DataProtectionSecretProtector(new EphemeralDataProtectionProvider());
        Assert.True((await new AlertChannelStore(catalog.Factory, protector, TimeProvider.System).CreateAsync(new AlertChannelInput
        {
            Name = "agents", Kind = AlertChannelKind.Webhook, Url = "https://hooks.example.test/agents", Events = [AlertEventKind.AgentOffline, AlertEventKind.AgentOnline],
        }, default)).Succeeded);
        var options = Options.Create(new AgentsOptions { StaleAfter = TimeSpan.FromSeconds(10) });
        var then = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using (var setup = await catalog.Factory.CreateDbContextAsync())
        {
            setup.Agents.Add(new AgentRecord { Name = "agent-gone", Version = "1.0", Machine = "box", Queues = "default", StartedAt = then, HeartbeatAt = then });
            await setup.SaveChangesAsync();
        }

        var watchers = Enumerable.Range(0, 4).Select(_ => new AgentRegistry(catalog.Factory, options, TimeProvider.System)).ToList();

        var marked = await Task.WhenAll(watchers.Select(w => w.MarkOfflineAsync(default)));
        await watchers[0].HeartbeatAsync("agent-gone", "1.0", "box", ["default"], DateTimeOffset.UtcNow, default);
        await watchers[1].HeartbeatAsync("agent-gone", "1.0", "box", ["default"], DateTimeOffset.UtcNow, default);

        Assert.Equal(["agent-gone"], marked.SelectMany(m => m));
        await using var db = await catalog.Factory.CreateDbContextAsync();
        Assert.Equal([AlertEventKind.AgentOffline, AlertEventKind.AgentOnline], await db.AlertDeliveries.OrderBy(d => d.Id).Select(d => d.Event).ToListAsync());
    }
}
