using Hangfire;
using KubeHa.Agent.Jobs;
using KubeHa.Agent.Relay;
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

        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());

        services.AddSingleton<IHostCheckScheduler, HangfireHostCheckScheduler>();
        services.AddTransient<HostCheckJob>();
        services.AddSingleton<IRunScheduler, HangfireRunScheduler>();
        services.AddTransient<ProvisioningJob>();
        services.AddKubeHaRelay();

        if (runWorker)
        {
            // Registered before the Hangfire server so interrupted runs are marked before any job starts.
            services.AddHostedService<InterruptedRunsService>();
            services.AddHostedService<InterruptedHostChecksService>();
            services.AddHangfireServer((sp, server) =>
            {
                var agent = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
                server.ServerName = agent.Name;
                server.WorkerCount = agent.WorkerCount;
                server.Queues = agent.Queues;
            });
        }

        return services;
    }
}
