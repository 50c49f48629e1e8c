using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace KubeHa.Testing.PostgreSql;

/// <summary>
/// A real, throw-away PostgreSQL server (Debian's binaries, /usr/lib/postgresql/N/bin): initdb into a temporary data
/// directory owned by the <c>postgres</c> OS user (PostgreSQL refuses to run as root), started with pg_ctl on a free
/// loopback port with its unix socket in that directory, trust authentication for loopback only, stopped by its PID
/// (from postmaster.pid) and deleted on dispose. Share one per test class or collection and give each test its own
/// database (<see cref="CreateDatabaseAsync"/>).
/// <code>public sealed class MyTests(PostgreSqlServer pg) : IClassFixture&lt;PostgreSqlServer&gt;</code>
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private const string OsUser = "postgres";
    private string? _dataDirectory;
    private int _pid;

    public int Port { get; private set; }

    /// <summary>Connection string of the <c>postgres</c> maintenance database (superuser, no password: trust on loopback).</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Timeout = 30, CommandTimeout = 60 }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var name = $"{prefix ?? "kubeha"}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        var bin = BinDirectory();
        _dataDirectory = Directory.CreateTempSubdirectory("kubeha-pg-").FullName;
        await ProcessRunner.RunAsync("/bin/chown", [$"{OsUser}:{OsUser}", _dataDirectory]);
        await AsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", Data("data"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        Port = FreePort();
        var options = $"-p {Port} -k {_dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await AsPostgresAsync(Path.Combine(bin, "pg_ctl"), ["-D", Data("data"), "-l", Data("server.log"), "-o", options, "-w", "-t", "60", "start"]);
        _pid = int.Parse((await File.ReadAllLinesAsync(Data("data/postmaster.pid")))[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_pid > 0)
        {
            // Fast shutdown (SIGINT) of the postmaster this fixture started, then wait for it to exit.
            await ProcessRunner.RunAsync("/bin/kill", ["-INT", _pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (IsRunning(_pid) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            if (IsRunning(_pid))
            {
                await ProcessRunner.RunAsync("/bin/kill", ["-KILL", _pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
            }

            _pid = 0; // stopped: a second dispose must not signal a PID the system may have reused
        }

        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }

            _dataDirectory = null;
        }
    }

    /// <summary>Stops the server (idempotent), e.g. to cut an agent off from its database.</summary>
    public Task StopAsync() => DisposeAsync();

    /// <summary>The server's own log, for a failing test's message.</summary>
    public string ReadLog() => _dataDirectory is null || !File.Exists(Data("server.log")) ? "" : File.ReadAllText(Data("server.log"));

    private string Data(string relative) => Path.Combine(_dataDirectory!, relative);

    private static Task AsPostgresAsync(string tool, IEnumerable<string> arguments) =>
        ProcessRunner.RunAsync("/usr/sbin/runuser", ["-u", OsUser, "--", tool, .. arguments]);

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static string BinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault() ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: apt-get install postgresql (tests/scripts/install-prerequisites.sh).")
            : throw new InvalidOperationException("PostgreSQL is not installed: apt-get install postgresql (tests/scripts/install-prerequisites.sh).");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
