using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeHa.Web.Hubs;

public static class HubServiceCollectionExtensions
{
    /// <summary>SignalR with the REST API's JSON conventions: camelCase, enums as lower-case kebab strings.</summary>
    public static IServiceCollection AddKubeHaHubs(this IServiceCollection services)
    {
        services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)));
        services.AddScoped<RunEventStream>();
        return services;
    }

    public static IEndpointRouteBuilder MapKubeHaHubs(this IEndpointRouteBuilder app)
    {
        app.MapHub<KubeHaHub>(KubeHaHub.Route);
        return app;
    }
}
