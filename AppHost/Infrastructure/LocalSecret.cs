using System.Security.Cryptography;

namespace AppHost.Infrastructure;

/// <summary>
/// A password generated once and kept beside the local data (owner-only file), so that a restart of the
/// AppHost reconnects to the same Postgres cluster and Redis data with the same credentials.
/// </summary>
public static class LocalSecret
{
    public static string GetOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        // Hex keeps the value safe inside connection strings and config files.
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        WriteOwnerOnly(path, secret);
        return secret;
    }

    /// <summary>Writes a file only its owner can read, for anything that contains a secret.</summary>
    public static void WriteOwnerOnly(string path, string contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
