using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AppHost.Infrastructure;

/// <summary>A Postgres cluster run from the Debian binaries as a local process (no container engine needed).</summary>
public sealed class LocalPostgresServerResource(
    string name, string command, string dataRoot, ParameterResource password, string passwordValue, int port)
    : ExecutableResource(name, command, dataRoot), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;
    public int Port { get; } = port;

    /// <summary>The same connection string as a plain value, for the AppHost's own health checks and setup.</summary>
    internal string AdminConnectionString { get; } =
        $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Password={passwordValue}";
    public string DataDirectory => DataDirectoryUnder(WorkingDirectory);

    public static string DataDirectoryUnder(string dataRoot) => Path.Combine(dataRoot, "postgres");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Password={Password}");
}

/// <summary>One database in a <see cref="LocalPostgresServerResource"/>, created when the server is ready.</summary>
public sealed class LocalPostgresDatabaseResource(string name, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent { get; } = parent;
    public string DatabaseName => Name;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

public static class LocalPostgresBuilderExtensions
{
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, LocalPrerequisites prerequisites, string dataRoot)
    {
        var passwordValue = LocalSecret.GetOrCreate(Path.Combine(dataRoot, "secrets", $"{name}.password"));
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);
        var port = LocalProcess.GetFreeTcpPort();
        var dataDirectory = LocalPostgresServerResource.DataDirectoryUnder(dataRoot);

        var command = LocalProcess.AsPostgresUser(prerequisites.PostgresPath,
            "-D", dataDirectory,
            "-h", "127.0.0.1",
            "-p", port.ToString(CultureInfo.InvariantCulture),
            // The data directory doubles as the socket directory: /var/run/postgresql may not exist or be ours.
            "-k", dataDirectory);
        var server = new LocalPostgresServerResource(name, command[0], dataRoot, password.Resource, passwordValue, port);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(server.AdminConnectionString, name: healthCheckKey);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, (_, _) =>
        {
            InitializeCluster(server, prerequisites, passwordValue);
            return Task.CompletedTask;
        });

        return builder.AddResource(server)
            .WithArgs([.. command.Skip(1)])
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name)
    {
        var builder = server.ApplicationBuilder;
        var database = new LocalPostgresDatabaseResource(name, server.Resource);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql($"{server.Resource.AdminConnectionString};Database={name}", name: healthCheckKey);

        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (readyEvent, cancellationToken) =>
        {
            var notifications = readyEvent.Services.GetRequiredService<ResourceNotificationService>();
            await CreateDatabaseIfMissingAsync(server.Resource.AdminConnectionString, name, cancellationToken);
            await notifications.PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });

        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                Properties = [],
                State = KnownResourceStates.Waiting,
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static void InitializeCluster(LocalPostgresServerResource server, LocalPrerequisites prerequisites, string password)
    {
        var dataDirectory = server.DataDirectory;
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(dataDirectory, "..", "secrets", "initdb.pw");
        LocalSecret.WriteOwnerOnly(passwordFile, password);
        try
        {
            if (LocalProcess.IsRoot)
            {
                // initdb and postgres refuse to run as root; the cluster belongs to the postgres user.
                RunOrThrow("chown", ["postgres:postgres", dataDirectory, passwordFile]);
            }

            var initdb = LocalProcess.AsPostgresUser(prerequisites.InitDbPath,
                "-D", dataDirectory,
                "-U", "postgres",
                $"--pwfile={passwordFile}",
                "--auth-host=scram-sha-256",
                "--auth-local=peer",
                "-E", "UTF8",
                "--locale=C.UTF-8");
            RunOrThrow(initdb[0], initdb.Skip(1));
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static void RunOrThrow(string command, IEnumerable<string> arguments)
    {
        var (exitCode, output) = LocalProcess.Run(command, arguments, TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed with exit code {exitCode}:\n{output}");
        }
    }

    private static async Task CreateDatabaseIfMissingAsync(string serverConnectionString, string databaseName, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(serverConnectionString);
        await using var exists = dataSource.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        exists.Parameters.AddWithValue(databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // Identifiers cannot be parameters; the name is ours (a resource name), quoted anyway.
        await using var create = dataSource.CreateCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"")}\"");
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
