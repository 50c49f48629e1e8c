using KubeHa.Web.Identity;
using KubeHa.Web.Tests.Infrastructure;

namespace KubeHa.Web.Tests.Hubs;

/// <summary>One app with a configured agent key and a viewer holding an API token.</summary>
public sealed class HubFixture : IAsyncLifetime
{
    public const string AgentKey = "agent-key-for-the-hub-tests-0123456789abcdef";

    public KubeHaAppFactory App { get; } = new(null, settings: new Dictionary<string, string?> { ["KubeHa:Agents:Token"] = AgentKey });

    public string ViewerToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _ = App.Server;
        await TestUsers.CreateAsync(App, "vic", KubeHaRoles.Viewer);
        ViewerToken = await TestUsers.TokenAsync(App, "vic", "vic-hub");
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}
