namespace AppHost.Infrastructure;

/// <summary>How Postgres and Redis are provided to the services. Bound from the "Infrastructure" section.</summary>
public sealed class InfrastructureOptions
{
    public const string SectionName = "Infrastructure";

    /// <summary>Auto (containers when Docker or Podman answers, else local processes), Containers or Local.</summary>
    public InfrastructureMode Mode { get; set; } = InfrastructureMode.Auto;

    /// <summary>
    /// Where local Postgres and Redis keep their data between runs. Defaults to /var/tmp/openrouterclone when
    /// running as root (the postgres user must reach it, and /root is closed to it), else a folder in the
    /// user's local application data.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Install missing Debian packages (postgresql, redis-server) with apt-get when running as root.</summary>
    public bool InstallPrerequisites { get; set; } = true;

    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory))
        {
            return Path.GetFullPath(DataDirectory);
        }

        return LocalProcess.IsRoot
            ? "/var/tmp/openrouterclone"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "openrouterclone");
    }
}

public enum InfrastructureMode
{
    Auto,
    Containers,
    Local,
}
