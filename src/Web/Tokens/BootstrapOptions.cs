using System.ComponentModel.DataAnnotations;

namespace KubeHa.Web.Tokens;

/// <summary>KubeHa__Bootstrap__ApiToken: a value that is a valid admin API token from the first start on.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "KubeHa:Bootstrap";

    public const int MinTokenLength = 32;

    [MinLength(MinTokenLength, ErrorMessage = "KubeHa__Bootstrap__ApiToken must be at least 32 characters (e.g. kubeha_ followed by `openssl rand -base64 32`).")]
    public string? ApiToken { get; set; }
}
