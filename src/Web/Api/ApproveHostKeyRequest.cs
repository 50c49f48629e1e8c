namespace KubeHa.Web.Api;

/// <summary>The fingerprint the operator compared with the host's own ("SHA256:..."); must equal the recorded one.</summary>
public sealed record ApproveHostKeyRequest
{
    public string? Fingerprint { get; init; }
}
