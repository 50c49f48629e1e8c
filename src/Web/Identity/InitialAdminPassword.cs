using KubeHa.Core.Persistence;
using Microsoft.Extensions.Options;

namespace KubeHa.Web.Identity;

/// <summary>
/// The administrator's generated first-start password, kept in a file of the data directory readable by KubeHa's own
/// user only (mode 600), never in the log: logs are shipped, kept and read by people who are not administrators. The
/// file is deleted at the administrator's first successful sign-in, so the password does not stay on disk in clear text.
/// </summary>
public sealed partial class InitialAdminPassword(IOptions<DataDirectoryOptions> data, IOptions<AdminOptions> admin, ILogger<InitialAdminPassword> logger)
{
    public const string FileName = "initial-admin-password";

    public string FilePath => Path.Combine(data.Value.FullPath, FileName);

    /// <summary>Writes the password to <see cref="FilePath"/>, created with mode 600 (replacing an older file).</summary>
    public void Write(string password)
    {
        Directory.CreateDirectory(data.Value.FullPath);
        File.Delete(FilePath); // a leftover of an earlier database: its mode is not ours to trust
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(FilePath, options);
        writer.WriteLine(password);
    }

    /// <summary>Called after a successful sign-in: the administrator has used the password, so its file goes.</summary>
    public void SignedIn(string userName)
    {
        if (!string.Equals(userName, admin.Value.UserName, StringComparison.OrdinalIgnoreCase) || !File.Exists(FilePath))
        {
            return;
        }

        try
        {
            File.Delete(FilePath);
            LogDeleted(logger, FilePath);
        }
        catch (IOException ex)
        {
            LogDeleteFailed(logger, ex, FilePath);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogDeleteFailed(logger, ex, FilePath);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The administrator signed in: deleted {Path}, which held the generated first-start password.")]
    private static partial void LogDeleted(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Path}, which holds the generated first-start password; delete it by hand.")]
    private static partial void LogDeleteFailed(ILogger logger, Exception ex, string path);
}
