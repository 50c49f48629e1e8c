namespace KubeHa.Core.Inventory;

/// <summary>
/// Outcome of an inventory change: success, per-field validation messages (field name → message), or a refusal
/// that concerns no single field (e.g. "the host is a node of cluster prod"). Messages never contain a secret.
/// </summary>
public class EditResult
{
    protected EditResult(IReadOnlyDictionary<string, string> fieldErrors, string? error)
    {
        FieldErrors = fieldErrors;
        Error = error;
    }

    public IReadOnlyDictionary<string, string> FieldErrors { get; }

    /// <summary>Why the change was refused as a whole; null when it succeeded or only fields are invalid.</summary>
    public string? Error { get; }

    public bool Succeeded => Error is null && FieldErrors.Count == 0;

    public static EditResult Ok() => new(Empty, null);

    public static EditResult Refused(string error) => new(Empty, error);

    public static EditResult Invalid(IReadOnlyDictionary<string, string> fieldErrors) => new(fieldErrors, null);

    /// <summary>The message for a field, or null.</summary>
    public string? this[string field] => FieldErrors.GetValueOrDefault(field);

    protected static IReadOnlyDictionary<string, string> Empty { get; } = new Dictionary<string, string>();
}

/// <summary>An <see cref="EditResult"/> that carries a value on success.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Factory methods read best on the result type itself.")]
public sealed class EditResult<T> : EditResult
{
    private EditResult(T? value, IReadOnlyDictionary<string, string> fieldErrors, string? error)
        : base(fieldErrors, error)
    {
        Value = value;
    }

    public T? Value { get; }

    public static EditResult<T> Ok(T value) => new(value, Empty, null);

    public static new EditResult<T> Refused(string error) => new(default, Empty, error);

    public static new EditResult<T> Invalid(IReadOnlyDictionary<string, string> fieldErrors) => new(default, fieldErrors, null);
}
