using Microsoft.EntityFrameworkCore;

namespace KubeHa.Core.Inventory;

/// <summary>
/// The rules a name in the catalog follows (hosts, credentials, alert channels): trimmed, not empty, bounded, no
/// control characters, unique ignoring case.
/// </summary>
internal static class CatalogName
{
    /// <param name="raw">What was entered.</param>
    /// <param name="what">The kind of object, as messages name it: "host", "credential", "alert channel".</param>
    /// <param name="maxLength">The column's size.</param>
    /// <param name="otherNames">The names of every other object of the kind (the one being edited left out).</param>
    /// <param name="field">The field messages are keyed by.</param>
    /// <param name="errors">Collects the message.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The trimmed name.</returns>
    public static async Task<string> ValidateAsync(
        string? raw, string what, int maxLength, IQueryable<string> otherNames, string field, FieldErrors errors, CancellationToken cancellationToken)
    {
        var name = raw?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(field, $"Give the {what} a name.");
        }
        else if (name.Length > maxLength)
        {
            errors.Add(field, $"Use at most {maxLength} characters.");
        }
        else if (name.Any(char.IsControl))
        {
            errors.Add(field, "The name cannot contain control characters.");
        }
        else
        {
            var lowered = name.ToLowerInvariant();
            // lower() in SQL works on SQLite and PostgreSQL alike (a NOCASE collation exists only in SQLite);
            // string.Equals(..., OrdinalIgnoreCase), which CA1862 suggests, does not translate to SQL.
#pragma warning disable CA1862
            if (await otherNames.AnyAsync(n => n.ToLower() == lowered, cancellationToken))
#pragma warning restore CA1862
            {
                errors.Add(field, $"{Article(what)} {what} named '{name}' already exists.");
            }
        }

        return name;
    }

    private static string Article(string what) => "aeiou".Contains(what[0], StringComparison.Ordinal) ? "An" : "A";
}
