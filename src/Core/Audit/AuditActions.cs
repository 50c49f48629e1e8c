namespace KubeHa.Core.Audit;

/// <summary>The actions the audit log records. Stable strings: they are stored and filtered on.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in.failed";
    public const string SignOut = "sign-out";

    public const string CredentialCreated = "credential.created";
    public const string CredentialUpdated = "credential.updated";
    public const string CredentialDeleted = "credential.deleted";

    public const string HostCreated = "host.created";
    public const string HostUpdated = "host.updated";
    public const string HostDeleted = "host.deleted";
    public const string HostCheckRequested = "host.check-requested";
    public const string HostKeyTrusted = "host.key-trusted";
    public const string HostKeyApproved = "host.key-approved";

    public const string ClusterCreated = "cluster.created";
    public const string ClusterUpdated = "cluster.updated";
    public const string ClusterDeleted = "cluster.deleted";
    public const string KubeconfigDownloaded = "cluster.kubeconfig-downloaded";
    public const string MembersAdded = "cluster.members-added";
    public const string MemberRemoved = "cluster.member-removed";

    public const string RunStarted = "run.started";
    public const string RunCancelled = "run.cancel-requested";
    public const string RunResumed = "run.resumed";

    public const string AlertChannelCreated = "alert-channel.created";
    public const string AlertChannelUpdated = "alert-channel.updated";
    public const string AlertChannelDeleted = "alert-channel.deleted";
    public const string AlertChannelTested = "alert-channel.tested";

    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";

    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role-changed";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserUnlocked = "user.unlocked";
    public const string UserDeleted = "user.deleted";

    public static IReadOnlyList<string> All { get; } =
    [
        SignIn, SignInFailed, SignOut,
        CredentialCreated, CredentialUpdated, CredentialDeleted,
        HostCreated, HostUpdated, HostDeleted, HostCheckRequested, HostKeyTrusted, HostKeyApproved,
        ClusterCreated, ClusterUpdated, ClusterDeleted, KubeconfigDownloaded, MembersAdded, MemberRemoved,
        RunStarted, RunCancelled, RunResumed,
        AlertChannelCreated, AlertChannelUpdated, AlertChannelDeleted, AlertChannelTested,
        TokenCreated, TokenRevoked,
        UserCreated, UserRoleChanged, UserPasswordReset, UserUnlocked, UserDeleted,
    ];
}
