namespace KubeHa.IntegrationTests.Provisioning.Lab;

/// <summary>The lab is machine-global: every class that uses it is in this one collection, so they never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    public const string Name = "Lab";
}
