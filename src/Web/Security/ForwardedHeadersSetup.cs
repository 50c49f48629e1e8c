using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Security;

/// <summary>
/// Behind a reverse proxy: the client address (sign-in rate limit, audit) and scheme (Secure cookies, HSTS) come from
/// X-Forwarded-For / X-Forwarded-Proto, but only when the request arrives from a proxy listed in
/// <see cref="ProxyOptions"/>. Nothing is trusted by default, not even loopback.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddKubeHaForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.ProxyAddresses())
            {
                forwarded.KnownProxies.Add(address);
            }

            foreach (var network in proxy.Value.Networks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // Walk back through a chain of trusted proxies; the first untrusted hop is the client.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>First in the pipeline, so everything after it sees the client's address and scheme.</summary>
    public static IApplicationBuilder UseKubeHaForwardedHeaders(this IApplicationBuilder app)
        => app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled
            ? app.UseForwardedHeaders()
            : app;

    private sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions options)
            => options.Errors().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
