namespace AppHost.Infrastructure;

/// <summary>Tells whether a container engine is usable, so that Aspire's Postgres and Redis containers can run.</summary>
public static class ContainerRuntimeDetector
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static bool IsContainerEngineAvailable()
        // A client binary alone is not enough: `info` fails when no daemon answers.
        => new[] { "docker", "podman" }.Any(engine =>
            LocalProcess.FindOnPath(engine) is not null
            && LocalProcess.Run(engine, ["info"], ProbeTimeout).ExitCode == 0);

    public static bool UseContainers(InfrastructureMode mode) => mode switch
    {
        InfrastructureMode.Containers => true,
        InfrastructureMode.Local => false,
        _ => IsContainerEngineAvailable(),
    };
}
