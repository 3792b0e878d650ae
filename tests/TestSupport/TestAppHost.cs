using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TestSupport;

/// <summary>
/// Starts the real AppHost (real Postgres and Redis as local processes) with its own data folder, so tests
/// never touch a developer's data, and waits until every resource reports healthy.
/// </summary>
public static class TestAppHost
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A token for one request or query of a test: the test's own, cut off after <see cref="RequestTimeout"/>.</summary>
    public static CancellationToken RequestToken
    {
        get
        {
            var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            source.CancelAfter(RequestTimeout);
            return source.Token;
        }
    }

    public static readonly string[] Resources =
        ["postgres", "catalogdb", "billingdb", "portaldb", "redis", "emulators", "catalog", "billing", "portal", "gateway"];

    /// <summary>A fresh data folder the postgres user can reach (unlike /tmp subfolders of root's, or /root).</summary>
    public static string NewDataDirectory() => Path.Combine("/var/tmp/openrouterclone-tests", Guid.NewGuid().ToString("N"));

    /// <param name="configure">Changes to the app model before it is built, such as a service's settings for one test class.</param>
    public static async Task<DistributedApplication> StartAsync(string dataDirectory, Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--Infrastructure:DataDirectory={dataDirectory}",
                // Local processes in tests even where Docker runs: the data folder above is then all the state.
                "--Infrastructure:Mode=Local",
            ],
            timeout.Token).WaitAsync(timeout.Token);

        // Resource logs and start-up health probes (unhealthy until Postgres accepts connections) would
        // bury the test output; failures still show through the assertions.
        builder.Services.AddLogging(logging => logging
            .AddFilter("AppHost.Resources", LogLevel.Warning)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            // The tests' own HTTP calls: a line per request would bury a failing test's report.
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));
        configure?.Invoke(builder);

        var app = await builder.BuildAsync(timeout.Token).WaitAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token).WaitAsync(timeout.Token);
            foreach (var resource in Resources)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token).WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            // Say where it stuck: "a task was canceled" alone leaves a failed run undiagnosable.
            var states = DescribeResources(app);
            await DisposeWithinAsync(app, StopTimeout);
            throw new AppHostStartTimeoutException($"The app host did not become healthy within {StartTimeout.TotalMinutes:0} min. Resources: {states}", ex);
        }
        catch
        {
            await DisposeWithinAsync(app, StopTimeout);
            throw;
        }
        return app;
    }

    /// <summary>Each resource's state and health as the orchestrator last reported them.</summary>
    public static string DescribeResources(DistributedApplication app) => string.Join("; ", Resources.Select(name =>
        app.ResourceNotifications.TryGetCurrentState(name, out var current)
            ? $"{name}={current.Snapshot.State?.Text ?? "no state"}/{current.Snapshot.HealthStatus?.ToString() ?? "no health"}"
            : $"{name}=not reported"));

    /// <summary>Disposes a host that may itself be stuck, without hanging the caller past the bound.</summary>
    private static async Task DisposeWithinAsync(DistributedApplication app, TimeSpan bound)
    {
        try
        {
            await app.DisposeAsync().AsTask().WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            // Its processes are orphans now; the caller's own failure is the one worth reporting.
        }
    }

    public static async Task StopAsync(DistributedApplication app)
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        await app.StopAsync(timeout.Token).WaitAsync(timeout.Token);
        await app.DisposeAsync().AsTask().WaitAsync(timeout.Token);
    }

    /// <summary>The value of an AppHost parameter, such as a generated service key.</summary>
    public static async Task<string> GetParameterValueAsync(DistributedApplication app, string name)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(resource => resource.Name == name);
        return (await parameter.GetValueAsync(timeout.Token))!;
    }

    /// <summary>A client for billing's internal API, carrying the internal service key as the portal does.</summary>
    public static async Task<HttpClient> CreateBillingInternalClientAsync(DistributedApplication app)
    {
        var client = app.CreateHttpClient("billing");
        client.Timeout = RequestTimeout;
        client.DefaultRequestHeaders.Add("X-Internal-Key", await GetParameterValueAsync(app, "billing-internal-key"));
        return client;
    }

    /// <summary>A client for the catalog's admin API, with the key the AppHost handed the catalog and who is acting.</summary>
    public static async Task<HttpClient> CreateCatalogAdminClientAsync(DistributedApplication app, string actor = "tests")
    {
        var client = app.CreateHttpClient("catalog");
        client.Timeout = RequestTimeout;
        client.DefaultRequestHeaders.Add("X-Admin-Key", await GetParameterValueAsync(app, "catalog-admin-key"));
        client.DefaultRequestHeaders.Add("X-Admin-Actor", actor);
        return client;
    }

    public static void DeleteDataDirectory(string dataDirectory)
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>Deletes a failed start's folder if it can: a process of that start may still be writing to it.</summary>
    public static void TryDeleteDataDirectory(string dataDirectory)
    {
        try
        {
            DeleteDataDirectory(dataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind under /var/tmp; the next attempt uses a folder of its own.
        }
    }
}

/// <summary>The app host started but did not become healthy in time; the message lists each resource's state.</summary>
public sealed class AppHostStartTimeoutException(string message, Exception inner) : TimeoutException(message, inner);
