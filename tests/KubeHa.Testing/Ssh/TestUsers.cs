using System.Security.Cryptography;
using System.Text.Json;

namespace KubeHa.Testing.Ssh;

/// <summary>
/// Linux test accounts and client keys for real-sshd tests, created idempotently (needs root). Accounts are shared by
/// every test process on the machine, so their password and key passphrase are random per machine and kept in a
/// root-only state directory (<see cref="StateDirectory"/>); a file lock serialises concurrent set-up.
/// </summary>
public sealed class TestUsers
{
    /// <summary>Logs in with keys; sudo without a password (NOPASSWD).</summary>
    public const string KeyUser = "khtest-key";

    /// <summary>Logs in with <see cref="Password"/>; sudo asks for that password.</summary>
    public const string PasswordUser = "khtest-pass";

    /// <summary>Logs in with <see cref="Ed25519"/>; sudo asks for a password this user's credential does not have.</summary>
    public const string SudoNeedsPasswordUser = "khtest-nopw";

    public const string StateDirectory = "/var/lib/kubeha-test";

    private const string SudoersFile = "/etc/sudoers.d/kubeha-test";

    private static readonly SemaphoreSlim InProcess = new(1, 1);
    private static TestUsers? _ensured;

    private TestUsers(string password, TestKey ed25519, TestKey encrypted, TestKey rsa, TestKey stranger)
    {
        Password = password;
        Ed25519 = ed25519;
        EncryptedEd25519 = encrypted;
        RsaPem = rsa;
        Stranger = stranger;
    }

    /// <summary>Login and sudo password of <see cref="PasswordUser"/>.</summary>
    public string Password { get; }

    /// <summary>Unencrypted ed25519 key (OpenSSH format); authorized for <see cref="KeyUser"/> and <see cref="SudoNeedsPasswordUser"/>.</summary>
    public TestKey Ed25519 { get; }

    /// <summary>Passphrase-protected ed25519 key (OpenSSH format, bcrypt KDF); authorized for <see cref="KeyUser"/>.</summary>
    public TestKey EncryptedEd25519 { get; }

    /// <summary>RSA 3072 key in traditional PEM format ("BEGIN RSA PRIVATE KEY"); authorized for <see cref="KeyUser"/>.</summary>
    public TestKey RsaPem { get; }

    /// <summary>A valid key authorized for nobody: the "wrong key".</summary>
    public TestKey Stranger { get; }

    /// <summary>The users every <see cref="SshdHost"/> allows.</summary>
    public static IReadOnlyList<string> All { get; } = [KeyUser, PasswordUser, SudoNeedsPasswordUser];

    /// <summary>The authorized_keys content for one test user.</summary>
    public string AuthorizedKeys(string user) => user switch
    {
        KeyUser => string.Join('\n', Ed25519.PublicKeyLine, EncryptedEd25519.PublicKeyLine, RsaPem.PublicKeyLine) + "\n",
        SudoNeedsPasswordUser => Ed25519.PublicKeyLine + "\n",
        _ => string.Empty,
    };

    /// <summary>Creates (or verifies) accounts, sudoers rules and keys. Safe to call from many tests and processes.</summary>
    public static async Task<TestUsers> EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException("Real-sshd tests need Linux and root (they create khtest-* accounts and start sshd).");
        }

        await InProcess.WaitAsync(cancellationToken);
        try
        {
            if (_ensured is not null)
            {
                return _ensured;
            }

            Directory.CreateDirectory(StateDirectory);
            FileModes.Set(StateDirectory, "700");
            await using var machineLock = await AcquireLockAsync(Path.Combine(StateDirectory, ".lock"), cancellationToken);

            var secrets = await LoadOrCreateSecretsAsync(cancellationToken);
            var keysDir = Path.Combine(StateDirectory, "keys");
            Directory.CreateDirectory(keysDir);
            var ed25519 = await EnsureKeyAsync(keysDir, "ed25519", ["-t", "ed25519"], null, cancellationToken);
            var encrypted = await EnsureKeyAsync(keysDir, "ed25519-encrypted", ["-t", "ed25519"], secrets.Passphrase, cancellationToken);
            var rsa = await EnsureKeyAsync(keysDir, "rsa-pem", ["-t", "rsa", "-b", "3072", "-m", "PEM"], null, cancellationToken);
            var stranger = await EnsureKeyAsync(keysDir, "stranger", ["-t", "ed25519"], null, cancellationToken);

            foreach (var user in All)
            {
                await EnsureAccountAsync(user, cancellationToken);
            }

            // Every account gets a password so none is locked; only PasswordUser's is ever handed to a test.
            var passwords = string.Join('\n', All.Select(u => $"{u}:{(u == PasswordUser ? secrets.Password : secrets.OtherPassword)}")) + "\n";
            await ProcessRunner.RunAsync(ProcessRunner.Require("chpasswd", "passwd"), [], passwords, cancellationToken: cancellationToken);

            await EnsureSudoersAsync(cancellationToken);
            _ensured = new TestUsers(secrets.Password, ed25519, encrypted, rsa, stranger);
            return _ensured;
        }
        finally
        {
            InProcess.Release();
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private sealed record Secrets(string Password, string Passphrase, string OtherPassword);

    private static async Task<Secrets> LoadOrCreateSecretsAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(StateDirectory, "secrets.json");
        if (File.Exists(path))
        {
            var existing = JsonSerializer.Deserialize<Secrets>(await File.ReadAllTextAsync(path, cancellationToken));
            if (existing is not null)
            {
                return existing;
            }
        }

        var created = new Secrets(Random("pw"), Random("pp"), Random("other"));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(created), cancellationToken);
        FileModes.Set(path, "600");
        return created;
    }

    // Distinctive and long, so a leak test can search for it without false hits.
    private static string Random(string prefix) =>
        $"kh-{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant()}";

    private static async Task<TestKey> EnsureKeyAsync(
        string dir, string name, string[] type, string? passphrase, CancellationToken cancellationToken)
    {
        var keygen = ProcessRunner.Require("ssh-keygen", "openssh-client");
        var path = Path.Combine(dir, name);
        if (!File.Exists(path) || !File.Exists(path + ".pub"))
        {
            File.Delete(path);
            File.Delete(path + ".pub");

            // The passphrase is an argument only here, for a root-owned throwaway test key; ssh-keygen has no stdin option.
            await ProcessRunner.RunAsync(keygen, [.. type, "-N", passphrase ?? string.Empty, "-C", $"kubeha-test-{name}", "-f", path, "-q"], cancellationToken: cancellationToken);
        }

        var fingerprint = await FingerprintAsync(path + ".pub", cancellationToken);
        return new TestKey(
            name,
            path,
            await File.ReadAllTextAsync(path, cancellationToken),
            (await File.ReadAllTextAsync(path + ".pub", cancellationToken)).Trim(),
            passphrase,
            fingerprint);
    }

    /// <summary>"SHA256:..." of a public key file (or host key), as <c>ssh-keygen -lf</c> prints it.</summary>
    public static async Task<string> FingerprintAsync(string publicKeyPath, CancellationToken cancellationToken = default)
    {
        var keygen = ProcessRunner.Require("ssh-keygen", "openssh-client");
        var result = await ProcessRunner.RunAsync(keygen, ["-E", "sha256", "-lf", publicKeyPath], cancellationToken: cancellationToken);

        // "256 SHA256:abc... comment (ED25519)"
        return result.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    }

    private static async Task EnsureAccountAsync(string user, CancellationToken cancellationToken)
    {
        var exists = await ProcessRunner.RunAsync(ProcessRunner.Require("getent", "libc-bin"), ["passwd", user], check: false, cancellationToken: cancellationToken);
        if (exists.ExitCode == 0)
        {
            return;
        }

        var created = await ProcessRunner.RunAsync(
            ProcessRunner.Require("useradd", "passwd"),
            ["--create-home", "--shell", "/bin/sh", "--comment", "KubeHa test account", user],
            check: false,
            cancellationToken: cancellationToken);

        // 9: another process created it between getent and useradd.
        if (created.ExitCode is not 0 and not 9)
        {
            throw new InvalidOperationException($"useradd {user} failed ({created.ExitCode}): {created.StandardError.Trim()}");
        }
    }

    private static async Task EnsureSudoersAsync(CancellationToken cancellationToken)
    {
        var rules = $"""
            # Written by KubeHa tests (tests/KubeHa.Testing). Safe to delete with the khtest-* accounts.
            Defaults:{PasswordUser} lecture=never
            Defaults:{SudoNeedsPasswordUser} lecture=never
            {KeyUser} ALL=(ALL:ALL) NOPASSWD: ALL
            {PasswordUser} ALL=(ALL:ALL) ALL
            {SudoNeedsPasswordUser} ALL=(ALL:ALL) ALL

            """;
        if (File.Exists(SudoersFile) && await File.ReadAllTextAsync(SudoersFile, cancellationToken) == rules)
        {
            return;
        }

        var staged = Path.Combine(StateDirectory, "sudoers.staged");
        await File.WriteAllTextAsync(staged, rules, cancellationToken);
        FileModes.Set(staged, "440");
        await ProcessRunner.RunAsync(ProcessRunner.Require("visudo", "sudo"), ["-cf", staged], cancellationToken: cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(SudoersFile)!);
        File.Move(staged, SudoersFile, overwrite: true);
    }
}
