namespace KubeHa.Core.Provisioning;

/// <summary>How a step failed on one host: the host, the command's exit code (null: no command failed, e.g. a timeout) and the masked error.</summary>
public sealed record HostStepFailure(int HostId, string Host, int? ExitCode, string Error);
