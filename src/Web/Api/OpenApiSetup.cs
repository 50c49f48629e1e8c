using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace KubeHa.Web.Api;

/// <summary>JSON conventions of the API and its OpenAPI document (<c>/openapi/v1.json</c>).</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddKubeHaApi(this IServiceCollection services)
    {
        // Enums by name only: a number ("cni": 42) is refused with 400 instead of binding a value no code handles.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)));
        services.AddProblemDetails();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "KubeHa API",
                    Version = "v1",
                    Description = "Hosts, credentials, clusters and provisioning runs. Authenticate with `Authorization: Bearer kubeha_...` (an API token from Admin > API tokens).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token: kubeha_ followed by 43 characters.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
                return Task.CompletedTask;
            });
        });
        return services;
    }
}
