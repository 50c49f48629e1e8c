using KubeHa.Core.Diagnostics;

namespace KubeHa.Core.Runs;

/// <summary>What the kubeadm analyzer recognised in a failed step's output on one host.</summary>
public sealed record RunFinding(string StepKey, string StepTitle, int HostId, string HostName, int Attempt, KubeadmFinding Finding);
