namespace KubeHa.Bench;

/// <summary>
/// A run or replay a figure would be computed from did not succeed: the scenario stops, records the reason and no
/// figure derived from it, and bench/run.sh exits non-zero.
/// </summary>
public sealed class BenchRunFailedException(string message) : Exception(message);
