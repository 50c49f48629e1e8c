using KubeHa.Core.Agents;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Agent.Relay;

public static class RelayServiceCollectionExtensions
{
    /// <summary>
    /// The shared agent key (<c>KubeHa:Agents:Token</c>, which Web also reads to authenticate agents) and the relay of
    /// live run events to Web, which does nothing unless <c>KubeHa:Agent:WebUrl</c> and the key are both set.
    /// </summary>
    public static IServiceCollection AddKubeHaRelay(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<RunEventRelay>();
        return services;
    }
}
