namespace KubeHa.Web.Api;

/// <summary>
/// Optional body of <c>DELETE /api/v1/clusters/{id}/members/{hostId}</c> (or the same name as a query parameter):
/// <see cref="ConfirmEvenMembers"/> is the cluster's name, typed by an Admin who accepts an even etcd member count.
/// </summary>
public sealed record RemoveMemberRequest(string? ConfirmEvenMembers);
