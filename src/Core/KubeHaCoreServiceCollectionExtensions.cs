using KubeHa.Core.Agents;
using KubeHa.Core.Alerts;
using KubeHa.Core.Audit;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Runs;
using KubeHa.Core.Persistence;
using KubeHa.Core.Remote;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KubeHa.Core;

/// <summary>The one registration entry point of KubeHa.Core.</summary>
public static class KubeHaCoreServiceCollectionExtensions
{
    public static IServiceCollection AddKubeHaCore(this IServiceCollection services)
    {
        services.AddOptions<DataDirectoryOptions>()
            .BindConfiguration(DataDirectoryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((db, config) => db.ConnectionString ??= config.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .Validate(
                db => db.Provider != DatabaseProvider.PostgreSql || !string.IsNullOrWhiteSpace(db.ConnectionString),
                "KubeHa:Database:Provider is PostgreSql but ConnectionStrings:KubeHa (ConnectionStrings__KubeHa) is not set.")
            .ValidateOnStart();
        services.TryAddSingleton<IDbContextFactory<KubeHaDbContext>, KubeHaDbContextFactory>();
        services.AddSingleton<KubeHa.Core.Agents.AgentRegistry>();
        services.AddOptions<KubeHa.Core.Agents.AgentsOptions>()
            .BindConfiguration(KubeHa.Core.Agents.AgentsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<InventoryEvents>();
        services.AddSingleton<KubeHa.Core.Clusters.Health.ClusterHealthEvents>();
        services.AddSingleton<KubeHa.Core.Clusters.Health.ClusterHealthRecorder>();

        services.AddOptions<SshOptions>()
            .BindConfiguration(SshOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<HostInventory>();
        services.AddSingleton<ISshConnector, SshConnector>();
        services.AddSingleton<IHostCheckService, HostCheckService>();

        services.AddOptions<ProvisioningOptions>()
            .BindConfiguration(ProvisioningOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RunEvents>();
        services.AddSingleton<RunLedger>();
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<InterruptedRunRecovery>();
        services.AddSingleton<IClusterApi, KubernetesClusterApi>();
        services.AddSingleton<IPlanCatalog, PlanCatalog>();
        services.AddSingleton<IClusterSecretsStore, ClusterSecretsStore>();
        services.AddSingleton<IHostShellFactory, SshHostShellFactory>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<PlanPreviewer>();
        services.AddSingleton<KubeHa.Core.Clusters.ClusterCatalog>();
        services.AddSingleton<RunReader>();
        services.AddSingleton<RunHistory>();
        services.AddSingleton<RunFollower>();
        services.AddSingleton<RunFindingsReader>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<KubeHa.Core.Clusters.KubeconfigReader>();
        services.AddOptions<KubeHa.Core.Clusters.Health.ClusterHealthOptions>()
            .BindConfiguration(KubeHa.Core.Clusters.Health.ClusterHealthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IKubernetesHealthWatcher, KubernetesHealthWatcher>();
        services.AddSingleton<KubeHa.Core.Clusters.Health.IClusterHealthFeed, KubeHa.Core.Clusters.Health.ClusterHealthFeed>();
        services.AddSingleton<KubeHa.Core.Clusters.Certificates.ClusterCertificateReader>();
        services.AddSingleton<KubeHa.Core.Clusters.Certificates.CertificateHealth>();

        services.AddOptions<AlertsOptions>()
            .BindConfiguration(AlertsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AlertChannelStore>();
        services.AddSingleton<AlertDeliveryReader>();
        services.AddSingleton<AlertDeliverySignal>();
        services.AddSingleton<AlertRaiser>();
        services.AddSingleton<IAlertSender, WebhookAlertSender>();
        services.AddSingleton<IAlertSender, EmailAlertSender>();
        services.AddSingleton<AlertDispatcher>();
        return services;
    }
}
