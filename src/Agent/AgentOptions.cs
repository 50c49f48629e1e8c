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

    /// <summary>Hangfire queues (network zones) this agent serves, most important first.</summary>
    [MinLength(1)]
    public string[] Queues { get; set; } = ["default"];
}
