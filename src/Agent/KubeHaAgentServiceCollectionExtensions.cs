using Hangfire;
using Hangfire.PostgreSql;
using KubeHa.Agent.Alerts;
using KubeHa.Agent.Health;
using KubeHa.Agent.Jobs;
using KubeHa.Agent.Relay;
using KubeHa.Agent.Registry;
using KubeHa.Agent.Security;
using KubeHa.Core.Hosts;
using KubeHa.Core;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeHa.Agent;

/// <summary>The one registration entry point of KubeHa.Agent: job storage, the Hangfire server, secrets.</summary>
public static class KubeHaAgentServiceCollectionExtensions
{
    /// <param name="services">The container.</param>
    /// <param name="runWorker">False in a Web process whose embedded worker is switched off: it only enqueues.</param>
    public static IServiceCollection AddKubeHaAgent(this IServiceCollection services, bool runWorker = true)
    {
        services.AddKubeHaCore();

        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddDataProtection().SetApplicationName("KubeHa");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<DataDirectoryOptions>, ILoggerFactory>((key, data, loggers) =>
            {
                var dir = Directory.CreateDirectory(data.Value.KeyRingPath);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                key.XmlRepository = new FileSystemXmlRepository(dir, loggers);
            });
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();

        services.AddHangfire((sp, config) =>
        {
            config
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (database.Provider == DatabaseProvider.PostgreSql)
            {
                // Shared by Web (which enqueues) and every agent (which serve their zones' queues). Hangfire creates
                // and upgrades its own schema ("hangfire") in the same database.
                // Long polling (LISTEN/NOTIFY): an enqueued job is picked up at once, not at the next poll.
                config.UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection(database.ConnectionString),
                    new PostgreSqlStorageOptions { EnableLongPolling = true, QueuePollInterval = TimeSpan.FromSeconds(5) });
            }
            else
            {
                config.UseInMemoryStorage();
            }
        });

        services.AddSingleton<ZoneQueues>();
        services.AddSingleton<IHostCheckScheduler, HangfireHostCheckScheduler>();
        services.AddTransient<HostCheckJob>();
        services.AddSingleton<HangfireRunScheduler>();
        services.AddSingleton<IRunScheduler>(sp => sp.GetRequiredService<HangfireRunScheduler>());
        services.AddTransient<ProvisioningJob>();
        services.AddTransient<RunHostsRecheck>();
        services.AddKubeHaRelay();

        if (runWorker)
        {
            // Hosted services registered before the Hangfire server start before any job: the agent is registered,
            // and interrupted runs are marked (one process, SQLite) or orphaned runs taken over (PostgreSQL).
            services.AddHostedService<AgentHeartbeatService>();
            services.AddHostedService<InterruptedRunsService>();
            services.AddHostedService<RunTakeoverService>();
            services.AddHostedService<InterruptedHostChecksService>();
            services.AddHostedService<ClusterHealthMonitor>();
            services.AddHostedService<AgentOfflineWatchService>();
            services.AddHostedService<AlertDeliveryService>();
            services.AddHangfireServer((sp, server) =>
            {
                var agent = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
                server.ServerName = agent.Name;
                server.WorkerCount = agent.WorkerCount;
                server.Queues = agent.EffectiveQueues;
            });
        }

        return services;
    }
}
