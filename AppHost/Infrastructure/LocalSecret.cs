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

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Hex keeps the value safe inside connection strings and command lines.
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secret;
    }
}
