using KubeHa.Core.Alerts;
using KubeHa.Core.Audit;
using KubeHa.Web.Audit;
using KubeHa.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KubeHa.Web.Api;

/// <summary>
/// <c>/api/v1/alert-channels</c> (admins only): where alerts go, and what happened to each delivery. Secrets (webhook
/// URL and header values, SMTP password) are write-only: responses show the webhook's scheme and host, header names,
/// and whether a password is stored. Every change and test is audited.
/// </summary>
public static class AlertChannelsEndpoints
{
    public static RouteGroupBuilder MapAlertChannelsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/alert-channels").WithTags("Alerts").RequireAuthorization(KubeHaPolicies.Admin);
        group.MapGet("/", ListAsync).WithName("ListAlertChannels");
        group.MapGet("/{id:int}", GetAsync).WithName("GetAlertChannel").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateAlertChannel")
            .Produces<AlertChannelView>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapPut("/{id:int}", UpdateAsync).WithName("UpdateAlertChannel")
            .Produces<AlertChannelView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteAlertChannel")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/test", TestAsync).WithName("TestAlertChannel")
            .Produces<AlertDeliveryView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/deliveries", ChannelDeliveriesAsync).WithName("ListAlertChannelDeliveries").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/deliveries", DeliveriesAsync).WithName("ListAlertDeliveries");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AlertChannelView>>> ListAsync(AlertChannelStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.ListAsync(cancellationToken));

    private static async Task<IResult> GetAsync(int id, AlertChannelStore store, CancellationToken cancellationToken)
        => await store.GetAsync(id, cancellationToken) is { } channel ? TypedResults.Ok(channel) : ApiResults.NotFound("alert channel", id);

    private static async Task<IResult> CreateAsync(
        AlertChannelRequest request, AlertChannelStore store, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await store.CreateAsync(request.ToInput(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Failed(result);
        }

        var created = (await store.GetAsync(result.Value, cancellationToken))!;
        await audit.RecordAsync(http, AuditActions.AlertChannelCreated, AlertChannelAudit.Target(created), AlertChannelAudit.Detail(created));
        return TypedResults.Created($"/api/v1/alert-channels/{created.Id}", created);
    }

    private static async Task<IResult> UpdateAsync(
        int id, AlertChannelRequest request, AlertChannelStore store, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return ApiResults.NotFound("alert channel", id);
        }

        var result = await store.UpdateAsync(id, request.ToInput(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiResults.Failed(result);
        }

        var updated = (await store.GetAsync(id, cancellationToken))!;
        await audit.RecordAsync(http, AuditActions.AlertChannelUpdated, AlertChannelAudit.Target(updated), AlertChannelAudit.Detail(updated));
        return TypedResults.Ok(updated);
    }

    private static async Task<IResult> DeleteAsync(int id, AlertChannelStore store, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } channel || !await store.DeleteAsync(id, cancellationToken))
        {
            return ApiResults.NotFound("alert channel", id);
        }

        await audit.RecordAsync(http, AuditActions.AlertChannelDeleted, AlertChannelAudit.Target(channel));
        return TypedResults.NoContent();
    }

    /// <summary>Sends a test message now and answers with the recorded delivery (delivered, or failed with the reason).</summary>
    private static async Task<IResult> TestAsync(int id, AlertDispatcher dispatcher, AlertChannelStore store, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } channel
            || await dispatcher.SendTestAsync(id, AuditActor.Name(http.User), cancellationToken) is not { } delivery)
        {
            return ApiResults.NotFound("alert channel", id);
        }

        await audit.RecordAsync(http, AuditActions.AlertChannelTested, AlertChannelAudit.Target(channel), AlertChannelAudit.TestDetail(delivery), delivery.Status == AlertDeliveryStatus.Delivered);
        return TypedResults.Ok(delivery);
    }

    private static async Task<IResult> ChannelDeliveriesAsync(
        int id, AlertChannelStore store, AlertDeliveryReader deliveries, CancellationToken cancellationToken, AlertDeliveryStatus? status = null, int limit = 100)
        => await store.GetAsync(id, cancellationToken) is null
            ? ApiResults.NotFound("alert channel", id)
            : TypedResults.Ok(await deliveries.ListAsync(id, status, limit, cancellationToken));

    private static async Task<Ok<IReadOnlyList<AlertDeliveryView>>> DeliveriesAsync(
        AlertDeliveryReader deliveries, CancellationToken cancellationToken, AlertDeliveryStatus? status = null, int limit = 100)
        => TypedResults.Ok(await deliveries.ListAsync(null, status, limit, cancellationToken));
}
