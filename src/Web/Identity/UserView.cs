namespace KubeHa.Web.Identity;

/// <summary>A user as the admin page lists it.</summary>
public sealed record UserView(string Id, string UserName, string? Role, DateTimeOffset? LockedOutUntil, int FailedAttempts)
{
    public bool IsLockedOut => LockedOutUntil is { } until && until > DateTimeOffset.UtcNow;
}
