using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeHa.Web.Hubs;

public static class HubServiceCollectionExtensions
{
    /// <summary>SignalR with the REST API's JSON conventions: camelCase, enums as lower-case kebab strings.</summary>
    public static IServiceCollection AddKubeHaHubs(this IServiceCollection services)
    {
        services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)))
            // An agent's batch of events is far larger than SignalR's 32 KB default; it is bounded by count and text.
            // Only the agents' hub gets the large limit: every message is read in full before any method's policy
            // is checked, so the users' hub keeps the default.
            .AddHubOptions<AgentHub>(o => o.MaximumReceiveMessageSize = AgentHub.MaxMessageBytes);
        services.AddScoped<RunEventStream>();
        return services;
    }

    public static IEndpointRouteBuilder MapKubeHaHubs(this IEndpointRouteBuilder app)
    {
        app.MapHub<KubeHaHub>(KubeHaHub.Route);
        app.MapHub<AgentHub>(AgentHub.Route);
        return app;
    }
}
