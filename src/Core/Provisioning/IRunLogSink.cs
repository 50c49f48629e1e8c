using KubeHa.Core.Runs;

namespace KubeHa.Core.Provisioning;

/// <summary>Where every line of a run goes (already masked): the ledger's batched writer and the live feed.</summary>
public interface IRunLogSink
{
    /// <summary>Thread-safe; called from SSH reader threads.</summary>
    void Write(string? stepKey, int? hostId, LogStream stream, string text);

    /// <summary>A file a dry run would write, its content already masked (plan preview); real runs never call it.</summary>
    void WriteFile(string? stepKey, int? hostId, string path, string maskedContent)
    {
    }
}
