namespace KubeHa.Lab;

/// <summary>One simulated host as `lab up` reports it.</summary>
public sealed record LabHost(
    string Name,
    string Ip,
    int SshPort,
    string User,
    string PrivateKeyPath,
    string Password,
    string PasswordUser,
    string Mac,
    string ProductUuid,
    string HostKeyPath);
