namespace AppHost.Infrastructure;

/// <summary>The Postgres and Redis server binaries that local mode runs, found or installed from Debian packages.</summary>
public sealed record LocalPrerequisites(string PostgresBinDirectory, string RedisServerPath)
{
    private const string PostgresRoot = "/usr/lib/postgresql";
    private static readonly string[] DebianPackages = ["postgresql", "redis-server"];
    private static readonly TimeSpan AptTimeout = TimeSpan.FromMinutes(10);

    public string InitDbPath => Path.Combine(PostgresBinDirectory, "initdb");
    public string PostgresPath => Path.Combine(PostgresBinDirectory, "postgres");

    /// <summary>Finds the binaries; installs them with apt-get when allowed, else says exactly what to install.</summary>
    public static LocalPrerequisites Ensure(bool allowInstall)
    {
        if (TryFind() is { } found)
        {
            return found;
        }

        if (allowInstall && LocalProcess.IsRoot && LocalProcess.FindOnPath("apt-get") is not null)
        {
            Console.WriteLine($"Installing {string.Join(", ", DebianPackages)} with apt-get (no container engine found)...");
            var install = LocalProcess.Run("apt-get", ["install", "-y", "--no-install-recommends", .. DebianPackages], AptTimeout);
            if (install.ExitCode != 0)
            {
                // A fresh machine often has no package lists yet.
                LocalProcess.Run("apt-get", ["update"], AptTimeout);
                install = LocalProcess.Run("apt-get", ["install", "-y", "--no-install-recommends", .. DebianPackages], AptTimeout);
            }

            if (TryFind() is { } installed)
            {
                return installed;
            }
            throw new InvalidOperationException($"apt-get could not install {string.Join(" ", DebianPackages)}:\n{install.Output}");
        }

        throw new InvalidOperationException(
            "No container engine (Docker or Podman) answers, and PostgreSQL or Redis is not installed locally. " +
            $"Install them with: sudo apt-get install -y {string.Join(" ", DebianPackages)} " +
            "(or start Docker/Podman, or set Infrastructure__Mode=Containers).");
    }

    private static LocalPrerequisites? TryFind()
    {
        var redis = LocalProcess.FindOnPath("redis-server");
        var postgresBin = Directory.Exists(PostgresRoot)
            ? Directory.GetDirectories(PostgresRoot)
                .Select(versionDirectory => Path.Combine(versionDirectory, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;

        return redis is not null && postgresBin is not null ? new LocalPrerequisites(postgresBin, redis) : null;
    }
}
