namespace KubeHa.Core.Hosts.Import;

/// <summary>The inventory formats <see cref="HostImportParser"/> reads.</summary>
public enum HostImportFormat
{
    /// <summary>Recognised from the text: JSON object, CSV with a header, Ansible INI or YAML.</summary>
    Auto = 0,
    AnsibleIni = 1,
    AnsibleYaml = 2,
    Csv = 3,

    /// <summary>What <c>tests/Lab/lab inventory</c> prints: <c>{"hosts": [{"name", "ip", "sshPort", "user"}]}</c>.</summary>
    LabJson = 4,
}
