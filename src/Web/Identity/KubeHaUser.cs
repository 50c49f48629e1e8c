using Microsoft.AspNetCore.Identity;

namespace KubeHa.Web.Identity;

/// <summary>A person who signs in to KubeHa.</summary>
public sealed class KubeHaUser : IdentityUser
{
}
