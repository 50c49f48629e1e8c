namespace KubeHa.Core.Alerts;

/// <summary>One extra webhook header; an empty value on an edit keeps the stored value of that header.</summary>
public sealed class AlertHeaderInput
{
    public string Name { get; set; } = "";

    public string? Value { get; set; }

    public override string ToString() => $"AlertHeaderInput {{ Name = {Name} }}";
}
