using KubeHa.Core.Agents;
using KubeHa.Core.Alerts;
using KubeHa.Core.Audit;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KubeHa.Core.Persistence;

/// <summary>The catalog: credentials, hosts, clusters and the run ledger.</summary>
public class KubeHaDbContext : DbContext
{
    public KubeHaDbContext(DbContextOptions<KubeHaDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider-specific subclass (<see cref="PostgreSqlKubeHaDbContext"/>) with its own migrations.</summary>
    protected KubeHaDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Credential> Credentials => Set<Credential>();

    public DbSet<ManagedHost> Hosts => Set<ManagedHost>();

    public DbSet<Cluster> Clusters => Set<Cluster>();

    public DbSet<ClusterNode> ClusterNodes => Set<ClusterNode>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<StepRun> StepRuns => Set<StepRun>();

    public DbSet<HostStepRun> HostStepRuns => Set<HostStepRun>();

    public DbSet<LogLine> LogLines => Set<LogLine>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AgentRecord> Agents => Set<AgentRecord>();

    public DbSet<AlertChannel> AlertChannels => Set<AlertChannel>();

    public DbSet<AlertDelivery> AlertDeliveries => Set<AlertDelivery>();

    /// <summary>SQLite has no native DateTimeOffset: it stores UTC ticks, which keeps ordering and comparison in SQL.</summary>
    protected virtual bool StoresDateTimeOffsetAsTicks => true;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (StoresDateTimeOffsetAsTicks)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }

        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Credential>(e =>
        {
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.Name).HasMaxLength(128);
        });

        modelBuilder.Entity<ManagedHost>(e =>
        {
            e.ToTable("Hosts");
            e.HasIndex(h => h.Name).IsUnique();
            e.Property(h => h.Name).HasMaxLength(128);
            e.Property(h => h.Address).HasMaxLength(255);
            e.Property(h => h.Username).HasMaxLength(64);
            e.HasOne(h => h.Credential).WithMany().HasForeignKey(h => h.CredentialId).OnDelete(DeleteBehavior.Restrict);
            e.Property(h => h.Facts!).HasConversion(JsonColumn.Converter<HostFacts>()!, JsonColumn.Comparer<HostFacts>());
        });

        modelBuilder.Entity<Cluster>(e =>
        {
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.Name).HasMaxLength(128);
            e.Property(c => c.Spec).HasConversion(JsonColumn.Converter<ClusterSpec>(), JsonColumn.Comparer<ClusterSpec>());
            e.Property(c => c.ActiveRunId).IsConcurrencyToken();
            e.Property(c => c.Zone).HasMaxLength(KubeHa.Core.Agents.Zones.MaxLength);
            e.Property(c => c.HealthReasons).HasMaxLength(KubeHa.Core.Clusters.Health.ClusterHealthRecorder.MaxReasonsLength);
            e.HasMany(c => c.Nodes).WithOne(n => n.Cluster).HasForeignKey(n => n.ClusterId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ClusterNode>(e =>
        {
            e.HasOne(n => n.Host).WithMany().HasForeignKey(n => n.HostId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(n => new { n.ClusterId, n.HostId, n.Role }).IsUnique();
            e.HasIndex(n => n.HostId);
        });

        modelBuilder.Entity<Run>(e =>
        {
            e.Property(r => r.Plan).HasMaxLength(32);
            e.Property(r => r.Spec).HasConversion(JsonColumn.Converter<ClusterSpec>(), JsonColumn.Comparer<ClusterSpec>());
            e.HasOne(r => r.Cluster).WithMany().HasForeignKey(r => r.ClusterId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(r => r.Steps).WithOne(s => s.Run).HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => new { r.ClusterId, r.Status });
            e.HasIndex(r => new { r.Status, r.ClaimedBy });
            e.Property(r => r.TargetHostIds!).HasConversion(JsonColumn.Converter<List<int>>()!, JsonColumn.Comparer<List<int>>());
        });

        modelBuilder.Entity<StepRun>(e =>
        {
            e.Property(s => s.Key).HasMaxLength(64);
            e.HasIndex(s => new { s.RunId, s.Ordinal }).IsUnique();
            e.HasMany(s => s.Hosts).WithOne(h => h.StepRun).HasForeignKey(h => h.StepRunId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<HostStepRun>(e => e.HasIndex(h => new { h.StepRunId, h.HostId }).IsUnique());

        modelBuilder.Entity<LogLine>(e =>
        {
            e.HasIndex(l => new { l.RunId, l.Seq }).IsUnique();
            e.HasOne<Run>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AgentRecord>(e =>
        {
            e.ToTable("Agents");
            e.HasKey(a => a.Name);
            e.Property(a => a.Name).HasMaxLength(AgentRecord.MaxNameLength);
            e.Property(a => a.Version).HasMaxLength(64);
            e.Property(a => a.Machine).HasMaxLength(255);
            e.Property(a => a.Queues).HasMaxLength(512);
        });

        modelBuilder.Entity<AlertChannel>(e =>
        {
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.Name).HasMaxLength(AlertChannel.MaxNameLength);
            e.Property(c => c.Events).HasConversion(JsonColumn.Converter<List<AlertEventKind>>(), JsonColumn.Comparer<List<AlertEventKind>>());
            e.Property(c => c.Webhook!).HasConversion(JsonColumn.Converter<WebhookSettings>()!, JsonColumn.Comparer<WebhookSettings>());
            e.Property(c => c.Email!).HasConversion(JsonColumn.Converter<EmailSettings>()!, JsonColumn.Comparer<EmailSettings>());
        });

        modelBuilder.Entity<AlertDelivery>(e =>
        {
            e.HasOne(d => d.Channel).WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Cascade);
            e.Property(d => d.Summary).HasMaxLength(AlertDelivery.MaxSummaryLength);
            e.Property(d => d.DeduplicationKey).HasMaxLength(AlertDelivery.MaxDeduplicationKeyLength);
            e.Property(d => d.ClaimedBy).HasMaxLength(AgentRecord.MaxNameLength);
            e.Property(d => d.Result).HasMaxLength(AlertDelivery.MaxResultLength);
            e.Property(d => d.Error).HasMaxLength(AlertDelivery.MaxErrorLength);
            e.HasIndex(d => new { d.Status, d.NextAttemptAt });
            e.HasIndex(d => new { d.ChannelId, d.Id });
            e.HasIndex(d => new { d.ChannelId, d.DeduplicationKey, d.CreatedAt });
            e.HasIndex(d => d.CreatedAt);
        });

        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditLog");
            e.Property(a => a.Actor).HasMaxLength(AuditLog.MaxTextLength);
            e.Property(a => a.Action).HasMaxLength(64);
            e.HasIndex(a => a.Time);
            e.HasIndex(a => new { a.Actor, a.Time });
            e.HasIndex(a => new { a.Action, a.Time });
        });
    }
}
