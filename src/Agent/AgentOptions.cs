using System.ComponentModel.DataAnnotations;

namespace KubeHa.Agent;

/// <summary>How this process runs jobs.</summary>
public sealed class AgentOptions
{
    public const string Section = "KubeHa:Agent";

    public string Name { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Concurrent jobs. Jobs mostly wait on SSH, so this is well above the core count: checking 20 hosts runs 20 checks at once.</summary>
    [Range(1, 500)]
    public int WorkerCount { get; set; } = 32;

    /// <summary>
    /// Hangfire queues (network zones) this agent serves, most important first; empty means ["default"]. (Empty by
    /// default because the configuration binder appends configured array items to an initialised array.)
    /// </summary>
    public string[] Queues { get; set; } = [];

    /// <summary>
    /// A file touched after each successful heartbeat, for a container health check (a standalone agent has no HTTP
    /// endpoint): healthy while it is recent. Null: none.
    /// </summary>
    public string? AliveFile { get; set; }

    /// <summary>How often the health monitor checks each provisioned cluster (Healthy/Degraded, no run holding it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one cluster's check may take (every health source answering once); past it, what is missing is a degradation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Clusters checked at once by the health monitor.</summary>
    [Range(1, 32)]
    public int HealthParallelism { get; set; } = 4;

    /// <summary>The queues actually served.</summary>
    public string[] EffectiveQueues => Queues.Length == 0 ? [KubeHa.Core.Agents.Zones.Default] : Queues;
}
