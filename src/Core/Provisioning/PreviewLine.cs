namespace KubeHa.Core.Provisioning;

/// <summary>One line of a plan preview: "would run: ..." (or a note) for a step on a host.</summary>
public sealed record PreviewLine(string StepKey, int? HostId, string Text);
