namespace KubeHa.Core.Provisioning;

/// <summary>A step failed on at least one host; the message names step, hosts, commands and last lines (masked).</summary>
public sealed class RunStepException(string message) : Exception(message);
