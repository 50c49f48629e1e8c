using KubeHa.Agent;
using KubeHa.Core.Credentials;
using KubeHa.Core.Hosts;
using KubeHa.Core.Persistence;
using KubeHa.Core.Security;
using KubeHa.Testing.Ssh;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeHa.IntegrationTests.Hosts;

/// <summary>A check the previous process left Queued (its in-memory job lost) runs again when the agent starts.</summary>
[Collection(SshdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InterruptedHostChecksTests(SshdFixture fixture) : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("kubeha-restart-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task AgentStart_HostLeftQueuedAndRunning_ChecksRunAgain()
    {
        int queued, running;
        using (var before = Build(runWorker: false))
        {
            await before.Services.InitializeKubeHaDatabaseAsync();
            var secrets = before.Services.GetRequiredService<ISecretProtector>();
            await using var db = await Db(before).CreateDbContextAsync();
            var credential = new Credential { Name = "k", Kind = CredentialKind.PrivateKey, ProtectedSecret = secrets.Protect(fixture.Users.Ed25519.PrivateKeyText) };
            var a = NewHost("left-queued", HostCheckStatus.Queued, credential);
            var b = NewHost("left-running", HostCheckStatus.Running, credential);
            db.Hosts.AddRange(a, b);
            await db.SaveChangesAsync();
            (queued, running) = (a.Id, b.Id);
        }

        using var after = Build(runWorker: true);
        await after.StartAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            List<ManagedHost> hosts;
            do
            {
                await Task.Delay(200);
                await using var db = await Db(after).CreateDbContextAsync();
                hosts = await db.Hosts.AsNoTracking().Where(h => h.Id == queued || h.Id == running).ToListAsync();
            }
            while (hosts.Any(h => h.CheckStatus is not (HostCheckStatus.Succeeded or HostCheckStatus.Failed)) && DateTime.UtcNow < deadline);

            Assert.All(hosts, h => Assert.True(h.CheckStatus == HostCheckStatus.Succeeded, $"{h.Name}: {h.CheckStatus} {h.CheckError}"));
            Assert.All(hosts, h => Assert.NotNull(h.Facts));
        }
        finally
        {
            await after.StopAsync();
        }
    }

    private ManagedHost NewHost(string name, HostCheckStatus status, Credential credential) => new()
    {
        Name = name,
        Address = fixture.Sshd.Address,
        Port = fixture.Sshd.Port,
        Username = TestUsers.KeyUser,
        Credential = credential,
        CheckStatus = status,
    };

    private static IDbContextFactory<KubeHaDbContext> Db(IHost host) => host.Services.GetRequiredService<IDbContextFactory<KubeHaDbContext>>();

    private IHost Build(bool runWorker)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["KubeHa:DataDirectory"] = _dataDir });
        builder.Services.AddKubeHaAgent(runWorker);
        return builder.Build();
    }
}
