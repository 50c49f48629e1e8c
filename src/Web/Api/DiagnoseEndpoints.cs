using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KubeHa.Core.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace KubeHa.Web.Api;

/// <summary>
/// <c>POST /api/v1/diagnose/kubeadm</c>: kubeadm output in (text/plain, at most 4 MB), diagnosis out (JSON, camelCase,
/// enums as lower-case kebab strings). Works for output from any cluster, including ones KubeHa did not build.
/// </summary>
public static class DiagnoseEndpoints
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Serializer options of the diagnose API: web defaults plus kebab-case enum strings.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static IEndpointRouteBuilder MapDiagnoseEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/diagnose").WithTags("Diagnostics");
        group.MapPost("/kubeadm", DiagnoseKubeadmAsync)
            .WithName("DiagnoseKubeadm")
            // No .Accepts("text/plain"): routing would answer other media types with a bare 415; the handler
            // answers them with problem details that say what to send instead.
            .Produces<KubeadmDiagnosisResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<IResult> DiagnoseKubeadmAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the kubeadm output as text/plain",
                detail: "POST the output of kubeadm init, join, reset or token as the raw request body with Content-Type: text/plain.");
        }

        if (TextEncoding(mediaType) is not { } encoding)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported charset",
                detail: $"KubeHa reads kubeadm output as {string.Join(", ", Charsets.Keys)}; charset {Core.Hosts.HostInputRules.Quoted(mediaType.Charset.ToString())} is not one of them. Send UTF-8 (or leave the charset out).");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        var body = await ReadBoundedAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        var diagnosis = KubeadmOutputAnalyzer.Analyze(encoding.GetString(body));
        return Results.Json(KubeadmDiagnosisResponse.From(diagnosis), JsonOptions);
    }

    // The charsets text/plain bodies are read in; anything else (utf-7, unknown names) is refused, not thrown on.
    private static readonly Dictionary<string, Encoding> Charsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["utf-8"] = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        ["us-ascii"] = Encoding.ASCII,
        ["iso-8859-1"] = Encoding.Latin1,
        ["utf-16"] = Encoding.Unicode,
        ["utf-16le"] = Encoding.Unicode,
        ["utf-16be"] = Encoding.BigEndianUnicode,
    };

    private static Encoding? TextEncoding(MediaTypeHeaderValue mediaType)
    {
        var charset = mediaType.Charset.ToString().Trim('"');
        return charset.Length == 0 ? Encoding.UTF8 : Charsets.GetValueOrDefault(charset.Equals("utf8", StringComparison.OrdinalIgnoreCase) ? "utf-8" : charset);
    }

    private static IResult TooLarge() => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "kubeadm output too large",
        detail: $"Send at most {MaxBodyBytes / (1024 * 1024)} MB. kubeadm reports its error at the end, so keep the end of the output and cut the beginning.");

    // Reads the body (chunked or not) up to MaxBodyBytes; null when it is longer.
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            using var content = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (content.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                content.Write(buffer, 0, read);
            }

            return content.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
