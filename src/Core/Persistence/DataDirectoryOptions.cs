using System.ComponentModel.DataAnnotations;

namespace KubeHa.Core.Persistence;

/// <summary>Where KubeHa keeps its state: the SQLite catalog and the Data Protection key ring.</summary>
public sealed class DataDirectoryOptions
{
    public const string Section = "KubeHa";

    /// <summary>Data directory; relative paths are resolved against the current directory. Default ./data.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    public string FullPath => Path.GetFullPath(DataDirectory);

    public string DatabasePath => Path.Combine(FullPath, "kubeha.db");

    public string KeyRingPath => Path.Combine(FullPath, "keys");
}
