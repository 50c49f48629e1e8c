using System.Text.Json;
using KubeHa.Core.Inventory;
using KubeHa.Web.Application;

namespace KubeHa.Web.Api;

/// <summary>Problem-details answers shared by the REST endpoints.</summary>
public static class ApiResults
{
    /// <summary>400 with one message per field; field names as they appear in the JSON body (camelCase).</summary>
    public static IResult Invalid(IReadOnlyDictionary<string, string> fieldErrors)
        => TypedResults.ValidationProblem(
            fieldErrors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => new[] { e.Value }),
            title: "Some fields are invalid");

    /// <summary>The failed edit as 400 (fields) or 409 (refused as a whole).</summary>
    public static IResult Failed(EditResult result)
        => result.FieldErrors.Count > 0
            ? Invalid(result.FieldErrors)
            : Conflict("The change was refused", result.Error ?? "The change was refused.");

    /// <summary>A command that was not done, as problem details: 400 per field, 403, 404, 409 (with the active run when busy).</summary>
    public static IResult Refusal<T>(CommandResult<T> result) => result.Outcome switch
    {
        CommandOutcome.Invalid => TypedResults.ValidationProblem(result.Errors ?? new Dictionary<string, string[]>(), title: result.Title ?? "Some fields are invalid"),
        CommandOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: result.Title, detail: result.Message),
        CommandOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: result.Title, detail: result.Message),
        CommandOutcome.Busy => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict, title: result.Title, detail: result.Message,
            extensions: new Dictionary<string, object?> { ["activeRunId"] = result.ActiveRunId }),
        _ => Conflict(result.Title ?? "Refused", result.Message ?? "Refused."),
    };

    public static IResult NotFound(string what, object id)
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}", detail: $"There is no {what} with id {id}.");

    public static IResult Conflict(string title, string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
