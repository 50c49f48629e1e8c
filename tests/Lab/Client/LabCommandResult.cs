namespace KubeHa.Lab;

public sealed record LabCommandResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;
}
