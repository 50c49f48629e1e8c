namespace KubeHa.Web.Tokens;

/// <summary>A token just created. <see cref="Token"/> is the only time the secret exists outside its holder.</summary>
public sealed record CreatedApiToken(ApiTokenView View, string Token)
{
    public override string ToString() => $"CreatedApiToken {{ {View} }}";
}
