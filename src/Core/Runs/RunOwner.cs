namespace KubeHa.Core.Runs;

/// <summary>The agent executing a run and the attempt it claimed: what the ledger compares before an owner-only write.</summary>
public sealed record RunOwner(string Agent, int Attempt);
