using KubeHa.Web.Application;
using KubeHa.Web.Identity;
using KubeHa.Agent;
using Bunit;
using KubeHa.Core;
using KubeHa.Core.Clusters;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Security;
using KubeHa.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace KubeHa.Web.Tests.Pages;

/// <summary>bUnit with the real Core services on a SQLite file in a temporary directory, signed in as an operator.</summary>
internal sealed class ClusterPagesTestContext : IAsyncDisposable
{
    private readonly TempDirectory _data = new();

    public BunitContext Bunit { get; } = new();

    public IServiceProvider Services => Bunit.Services;

    public static async Task<ClusterPagesTestContext> CreateAsync(Action<IServiceCollection>? configure = null)
    {
        var context = new ClusterPagesTestContext();
        var ctx = context.Bunit;
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KubeHa:DataDirectory"] = context._data.Path })
            .Build());
        ctx.Services.AddKubeHaAgent(runWorker: false); // real Data Protection and Hangfire schedulers (jobs are enqueued, never run)
        ctx.Services.AddMudServices();
        ctx.AddAuthorization().SetAuthorized("operator").SetRoles("Operator").SetPolicies(KubeHaPolicies.Viewer, KubeHaPolicies.Operator);
        ctx.Services.AddScoped<CircuitUser>();
        ctx.Services.AddKubeHaApplication();
        configure?.Invoke(ctx.Services);
        await ctx.Services.InitializeKubeHaDatabaseAsync();
        return context;
    }

    /// <summary>The MudBlazor providers a page's popovers and dialogs render into.</summary>
    public IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderProviders() => Bunit.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });

    /// <summary>Adds hosts 10.7.0.N (no facts, last check succeeded) with one credential; returns their ids in order.</summary>
    public async Task<List<int>> AddHostsAsync(params string[] names)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var credential = new Credential { Name = $"c{Guid.NewGuid():N}"[..10], Kind = CredentialKind.Password, ProtectedSecret = "x" };
        var taken = await db.Hosts.CountAsync();
        var hosts = names.Select((n, i) => new ManagedHost { Name = n, Address = $"10.7.0.{taken + i + 1}", Username = "root", Credential = credential, CheckStatus = HostCheckStatus.Succeeded }).ToList();
        db.Hosts.AddRange(hosts);
        await db.SaveChangesAsync();
        return hosts.Select(h => h.Id).ToList();
    }

    /// <summary>Sets a host's last check outcome.</summary>
    public async Task SetCheckAsync(int hostId, HostCheckStatus status, HostCheckErrorKind? error)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Hosts.Where(h => h.Id == hostId).ExecuteUpdateAsync(s => s.SetProperty(h => h.CheckStatus, status).SetProperty(h => h.CheckErrorKind, error));
    }

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }



    /// <summary>Queues nothing: runs are created directly in the ledger by the tests that need them.</summary>
}
