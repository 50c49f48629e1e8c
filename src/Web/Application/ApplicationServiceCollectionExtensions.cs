namespace KubeHa.Web.Application;

/// <summary>Registers the use cases the pages and the REST endpoints share.</summary>
public static class ApplicationServiceCollectionExtensions
{
    public static IServiceCollection AddKubeHaApplication(this IServiceCollection services)
    {
        services.AddScoped<ClusterCommands>();
        return services;
    }
}
