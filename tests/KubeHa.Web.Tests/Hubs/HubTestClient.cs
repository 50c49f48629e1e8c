using System.Text.Json;
using System.Text.Json.Serialization;
using KubeHa.Web.Hubs;
using KubeHa.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Hubs;

/// <summary>A real SignalR client (long polling) talking to the app's in-memory TestServer.</summary>
public static class HubTestClient
{
    /// <param name="route">The hub: <see cref="KubeHaHub.Route"/> (users) unless given.</param>
    public static HubConnection Build(KubeHaAppFactory app, string? bearer = null, string? cookie = null, string route = KubeHaHub.Route) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, route.TrimStart('/')), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                if (bearer is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
                }

                if (cookie is not null)
                {
                    o.Headers["Cookie"] = cookie;
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)))
            .Build();

    /// <summary>The transport a real agent negotiates: WebSockets, the bearer credential on the upgrade request.</summary>
    public static HubConnection BuildWebSockets(KubeHaAppFactory app, string bearer, string route = AgentHub.Route) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, route.TrimStart('/')), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
                o.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = app.Server.CreateWebSocketClient();
                    client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {bearer}";
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)))
            .Build();

    /// <summary>Reads items until <paramref name="done"/> says enough or the deadline passes (then fails).</summary>
    public static async Task<List<T>> ReadUntilAsync<T>(IAsyncEnumerable<T> stream, Func<List<T>, bool> done, TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(20));
        var items = new List<T>();
        try
        {
            await foreach (var item in stream.WithCancellation(cts.Token))
            {
                items.Add(item);
                if (done(items))
                {
                    return items;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"The stream did not deliver what was expected before the deadline; got {items.Count} item(s).");
        }

        return items;
    }
}
