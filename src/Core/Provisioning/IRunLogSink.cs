using KubeHa.Core.Runs;

namespace KubeHa.Core.Provisioning;

/// <summary>Where every line of a run goes (already masked): the ledger's batched writer and the live feed.</summary>
public interface IRunLogSink
{
    /// <summary>Thread-safe; called from SSH reader threads.</summary>
    void Write(string? stepKey, int? hostId, LogStream stream, string text);
}
