namespace KubeHa.Core.Provisioning;

/// <summary>One line of a plan preview: "would run: ..." (or a note) for a step on a host.</summary>
/// <param name="FilePath">For a file the step would write: its path; null for a command line.</param>
/// <param name="FileContent">That file's content, secrets masked.</param>
public sealed record PreviewLine(string StepKey, int? HostId, string Text, string? FilePath = null, string? FileContent = null);
