namespace KubeHa.Web.Application;

/// <summary>The answer of a <see cref="ClusterCommands"/> action, the same for a page and an endpoint.</summary>
/// <typeparam name="T">What a successful action yields (a run id, a cluster, a kubeconfig).</typeparam>
/// <param name="Outcome">How it ended.</param>
/// <param name="Value">On <see cref="CommandOutcome.Done"/> (and for a refused create: the validation result).</param>
/// <param name="Title">A short title for a refusal ("Another run of this cluster is active").</param>
/// <param name="Message">An operator-facing sentence when not done.</param>
/// <param name="Errors">On <see cref="CommandOutcome.Invalid"/>: messages per request field (camelCase, as in the JSON body).</param>
/// <param name="ActiveRunId">On <see cref="CommandOutcome.Busy"/>: the run that holds the cluster.</param>
public sealed record CommandResult<T>(
    CommandOutcome Outcome,
    T? Value = default,
    string? Title = null,
    string? Message = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    long? ActiveRunId = null)
{
    public bool Succeeded => Outcome == CommandOutcome.Done;

    /// <summary>The same refusal for another value type.</summary>
    public CommandResult<TOther> As<TOther>() => new(Outcome, default, Title, Message, Errors, ActiveRunId);
}

/// <summary>Factories of <see cref="CommandResult{T}"/>.</summary>
public static class CommandResult
{
    public static CommandResult<T> Done<T>(T value) => new(CommandOutcome.Done, value);

    public static CommandResult<T> Invalid<T>(string field, string message, T? value = default) =>
        new(CommandOutcome.Invalid, value, "Some fields are invalid", message, new Dictionary<string, string[]> { [field] = [message] });

    public static CommandResult<T> NotFound<T>(string what, object id) =>
        new(CommandOutcome.NotFound, Title: $"No such {what}", Message: $"There is no {what} with id {id}.");

    public static CommandResult<T> Refused<T>(string title, string message) => new(CommandOutcome.Refused, Title: title, Message: message);

    public static CommandResult<T> Forbidden<T>(string policy) =>
        new(CommandOutcome.Forbidden, Title: "Not allowed", Message: $"This action needs the {policy} role.");
}
