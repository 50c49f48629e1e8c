using System.Text;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Runs;
using KubeHa.Web.Application;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace KubeHa.Web.Api;

/// <summary>
/// <c>/api/v1/clusters</c>: clusters (spec of the provisioning engine plus the hosts and their roles), members added
/// and removed on a running cluster (each starts a run), the admin kubeconfig download (operators and admins, audited) and
/// live health: nodes, load balancers, etcd (the dashboard's feed, read once).
/// </summary>
public static class ClustersEndpoints
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapClustersEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clusters").WithTags("Clusters");
        group.MapGet("/", ListAsync).WithName("ListClusters");
        group.MapGet("/{id:int}", GetAsync).WithName("GetCluster")
            .Produces<ClusterDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateCluster")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<ClusterDetails>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteCluster")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:int}/kubeconfig", KubeconfigAsync).WithName("DownloadKubeconfig")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<string>(StatusCodes.Status200OK, "application/yaml")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/members", AddMembersAsync).WithName("AddClusterMembers")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<RunSnapshot>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:int}/members/{hostId:int}", RemoveMemberAsync).WithName("RemoveClusterMember")
            .RequireAuthorization(KubeHaPolicies.Operator)
            .Produces<RunSnapshot>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        // Live health, read once (the dashboard follows the same feed live): every source answered, or what is known after HealthTimeout.
        group.MapGet("/{id:int}/nodes", NodesAsync).WithName("ListClusterNodes")
            .Produces<KubernetesHealth>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/load-balancers", LoadBalancersAsync).WithName("ListClusterLoadBalancers")
            .Produces<LoadBalancersResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/etcd", EtcdAsync).WithName("GetClusterEtcd")
            .Produces<EtcdHealth>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/certificates", CertificatesAsync).WithName("ListClusterCertificates")
            .Produces<IReadOnlyList<CertificateResponse>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ClusterSummary>>> ListAsync(ClusterCatalog catalog, CancellationToken cancellationToken)
        => TypedResults.Ok(await catalog.ListAsync(cancellationToken));

    private static async Task<IResult> GetAsync(int id, ClusterCatalog catalog, CancellationToken cancellationToken)
        => await catalog.GetAsync(id, cancellationToken) is { } cluster
            ? TypedResults.Ok(cluster)
            : ApiResults.NotFound("cluster", id);

    private static async Task<IResult> CreateAsync(
        CreateClusterRequest request, ClusterCommands commands, ClusterCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        var created = await commands.CreateClusterAsync(CommandActor.From(http), request.ToDraft(), cancellationToken);
        if (!created.Succeeded)
        {
            return ApiResults.Refusal(created);
        }

        var cluster = (await catalog.GetAsync(created.Value!.ClusterId!.Value, cancellationToken))!;
        return TypedResults.Created($"/api/v1/clusters/{cluster.Summary.Id}", cluster);
    }

    private static async Task<IResult> DeleteAsync(int id, ClusterCommands commands, HttpContext http, CancellationToken cancellationToken)
    {
        var deleted = await commands.DeleteClusterAsync(CommandActor.From(http), id, cancellationToken);
        return deleted.Succeeded ? TypedResults.NoContent() : ApiResults.Refusal(deleted);
    }

    /// <summary>202 with the add-nodes run (as <c>POST /clusters/{id}/runs</c> answers), 400 per field, 409 while a run is active.</summary>
    private static async Task<IResult> AddMembersAsync(
        int id, AddMembersRequest request, ClusterCommands commands, RunReader reader, HttpContext http, CancellationToken cancellationToken)
        => await RunsEndpoints.AnswerAsync(await commands.AddMembersAsync(CommandActor.From(http), id, request.ToHostRoles(), cancellationToken), reader, cancellationToken);

    /// <summary>202 with the removal run; 409 with the reason (quorum arithmetic, active run); confirmEvenMembers in the body or the query.</summary>
    private static async Task<IResult> RemoveMemberAsync(
        int id, int hostId, ClusterCommands commands, RunReader reader, HttpContext http, CancellationToken cancellationToken,
        [FromQuery] string? confirmEvenMembers = null,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RemoveMemberRequest? request = null)
        => await RunsEndpoints.AnswerAsync(
            await commands.RemoveMemberAsync(CommandActor.From(http), id, hostId, request?.ConfirmEvenMembers ?? confirmEvenMembers, cancellationToken), reader, cancellationToken);

    private static async Task<IResult> KubeconfigAsync(int id, ClusterCommands commands, HttpContext http, CancellationToken cancellationToken)
    {
        var read = await commands.ReadKubeconfigAsync(CommandActor.From(http), id, cancellationToken);
        if (!read.Succeeded)
        {
            return ApiResults.Refusal(read);
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(Encoding.UTF8.GetBytes(read.Value!.Content!), "application/yaml", $"{read.Value.ClusterName}.kubeconfig");
    }

    private static async Task<IResult> NodesAsync(int id, IClusterHealthFeed health, CancellationToken cancellationToken)
        => await health.ReadAsync(id, HealthTimeout, cancellationToken) is { } snapshot
            ? TypedResults.Ok(snapshot.Kubernetes)
            : ApiResults.NotFound("cluster", id);

    private static async Task<IResult> LoadBalancersAsync(int id, IClusterHealthFeed health, CancellationToken cancellationToken)
        => await health.ReadAsync(id, HealthTimeout, cancellationToken) is { } snapshot
            ? TypedResults.Ok(new LoadBalancersResponse(snapshot.At, snapshot.VirtualIp, snapshot.VipHolder, snapshot.LoadBalancers))
            : ApiResults.NotFound("cluster", id);

    private static async Task<IResult> EtcdAsync(int id, IClusterHealthFeed health, CancellationToken cancellationToken)
        => await health.ReadAsync(id, HealthTimeout, cancellationToken) is { } snapshot
            ? TypedResults.Ok(snapshot.Etcd)
            : ApiResults.NotFound("cluster", id);

    /// <summary>
    /// Every kubeadm certificate and CA of every control plane (<c>kubeadm certs check-expiration</c>), read at most every
    /// KubeHa:Health:CertificateReadInterval unless <c>fresh=true</c>. Control planes that did not answer are named in
    /// the <c>X-KubeHa-Unread</c> header; 502 when none answered.
    /// </summary>
    private static async Task<IResult> CertificatesAsync(
        int id, bool? fresh, KubeHa.Core.Clusters.Certificates.ClusterCertificateReader reader, HttpContext http, CancellationToken cancellationToken)
    {
        if (await reader.ReadAsync(id, fresh == true, cancellationToken) is not { } reading)
        {
            return ApiResults.NotFound("cluster", id);
        }

        if (reading.Certificates.Count == 0 && reading.Errors.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status502BadGateway,
                title: "Certificates could not be read",
                detail: string.Join("; ", reading.Errors));
        }

        if (reading.Errors.Count > 0)
        {
            // Header values are one line of visible ASCII; host errors may carry anything a host printed.
            http.Response.Headers["X-KubeHa-Unread"] = string.Join("; ", reading.Errors).ReplaceLineEndings(" ") is var unread
                && unread.All(c => c is >= ' ' and <= '~') ? unread : "some control planes did not answer";
        }

        return TypedResults.Ok(reading.Certificates
            .Select(c => new CertificateResponse(c.Host, c.Name, c.ExpiresAt, c.ResidualDays, c.Authority, c.IsAuthority, c.ExternallyManaged))
            .ToList());
    }
}

/// <summary>One kubeadm certificate of a control plane, as GET /api/v1/clusters/{id}/certificates lists it.</summary>
public sealed record CertificateResponse(
    string Host, string Name, DateTimeOffset ExpiresAt, int ResidualDays, string? Authority, bool IsAuthority, bool ExternallyManaged);
