using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace AppHost.Infrastructure;

/// <summary>A redis-server run as a local process with append-only persistence (no container engine needed).</summary>
public sealed class LocalRedisResource(string name, string command, string dataRoot, ParameterResource password, int port)
    : ExecutableResource(name, command, dataRoot), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;
    public int Port { get; } = port;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},password={Password}");
}

public static class LocalRedisBuilderExtensions
{
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, LocalPrerequisites prerequisites, string dataRoot)
    {
        var passwordValue = LocalSecret.GetOrCreate(Path.Combine(dataRoot, "secrets", $"{name}.password"));
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);
        var port = LocalProcess.GetFreeTcpPort();
        var redisDirectory = Path.Combine(dataRoot, "redis");
        Directory.CreateDirectory(redisDirectory);

        var redis = new LocalRedisResource(name, prerequisites.RedisServerPath, dataRoot, password.Resource, port);

        // The password goes in an owner-only config file, not on the command line, where process listings and
        // the dashboard's resource details would show it.
        var configFile = Path.Combine(dataRoot, "secrets", $"{name}.conf");
        LocalSecret.WriteOwnerOnly(configFile, $"requirepass {passwordValue}\n");

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)},password={passwordValue}", name: healthCheckKey);

        return builder.AddResource(redis)
            .WithArgs(
                configFile,
                "--port", port.ToString(CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1",
                "--dir", redisDirectory,
                "--appendonly", "yes",
                // The append-only file is the persistence (and Postgres the truth Redis is rebuilt from): periodic RDB
                // snapshots on top forked and compressed the whole dataset every minute under load.
                "--save", "",
                // Our own config file, not Debian's; keep the process in front for the orchestrator.
                "--daemonize", "no")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
