using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationTests.Replicas;

/// <summary>One gateway process, reached at its own address rather than through Aspire's proxy.</summary>
public sealed record GatewayReplica(string Name, int ProcessId, Uri Address, string AddressSource)
{
    /// <summary>A client for this replica alone, sending <paramref name="key"/> as a bearer token.</summary>
    public HttpClient CreateClient(string key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TestAppHost.RequestTimeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public override string ToString() => $"{Name} (pid {ProcessId}, {Address} from {AddressSource})";
}

/// <summary>
/// A system of its own whose gateway runs as <see cref="ReplicaCount"/> replicas (the AppHost's
/// <c>Gateway:Replicas</c>, set here through the model since the AppHost's configuration is read before the
/// fixture can change it). Tests send each request to a chosen replica's own port, so "the other replica" is
/// certain rather than left to the proxy's balancing.
/// </summary>
public sealed class ReplicasFixture : AppHostFixture
{
    public const int ReplicaCount = 2;

    // The dashboard's name for an executable's process id (Aspire's KnownProperties is internal).
    private const string ProcessIdProperty = "executable.pid";

    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _discovery = new(1, 1);
    private IReadOnlyList<GatewayReplica>? _replicas;

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
        => builder.CreateResourceBuilder<ProjectResource>("gateway").WithReplicas(ReplicaCount);

    /// <summary>Every gateway replica, each healthy and able to serve a paid completion.</summary>
    public async Task<IReadOnlyList<GatewayReplica>> GetReplicasAsync()
    {
        await _discovery.WaitAsync();
        try
        {
            return _replicas ??= await DiscoverAsync();
        }
        finally
        {
            _discovery.Release();
        }
    }

    private async Task<IReadOnlyList<GatewayReplica>> DiscoverAsync()
    {
        using var timeout = new CancellationTokenSource(DiscoveryTimeout);
        var replicas = await WaitForReplicasAsync(timeout.Token);
        Assert.Equal(ReplicaCount, replicas.Select(replica => replica.ProcessId).Distinct().Count());
        Assert.Equal(ReplicaCount, replicas.Select(replica => replica.Address).Distinct().Count());

        // The first completion on a replica loads its catalog snapshot and JIT-compiles the hot path; doing it
        // here keeps both replicas equally quick in the tests' races.
        var owner = await TestAccounts.CreateAsync(App, creditsUsd: 1);
        var key = await TestAccounts.CreateInferenceKeyAsync(App, owner, "warm-up");
        foreach (var replica in replicas)
        {
            using var client = replica.CreateClient(key.Secret);
            while (true)
            {
                var response = await client.PostAsync("/api/v1/chat/completions", new StringContent(
                    """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"warm up"}]}""", Encoding.UTF8, "application/json"), timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                await Task.Delay(200, timeout.Token);
            }
        }
        return replicas;
    }

    /// <summary>
    /// Watches the gateway's state notices, one stream per replica (the resource id is gateway-&lt;suffix&gt;), until
    /// every replica is healthy, and reads each one's own listening address from its environment.
    /// </summary>
    private async Task<List<GatewayReplica>> WaitForReplicasAsync(CancellationToken cancellationToken)
    {
        var healthy = new Dictionary<string, GatewayReplica>();
        await foreach (var notice in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (notice.Resource.Name != "gateway" || notice.Snapshot.HealthStatus != HealthStatus.Healthy
                || notice.Snapshot.Properties.SingleOrDefault(property => property.Name == ProcessIdProperty)?.Value is not { } pid)
            {
                continue;
            }
            var processId = Convert.ToInt32(pid, CultureInfo.InvariantCulture);
            // Aspire gives each replica its own port through ASPNETCORE_URLS; the launch profile's port is the
            // proxy in front of all of them.
            // (The snapshot's environment is DCP's effective one, with the port filled in; the process's own
            // environment is the fallback should a version leave it out.)
            var fromSnapshot = notice.Snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == "ASPNETCORE_URLS")?.Value;
            var urls = fromSnapshot
                ?? ReadProcessEnvironment(processId, "ASPNETCORE_URLS")
                ?? throw new InvalidOperationException($"{notice.ResourceId} has no ASPNETCORE_URLS; environment: "
                    + string.Join(", ", notice.Snapshot.EnvironmentVariables.Select(variable => variable.Name)));
            var http = urls.Split(';').First(url => url.StartsWith("http://", StringComparison.Ordinal));
            healthy[notice.ResourceId] = new GatewayReplica(notice.ResourceId, processId,
                new Uri(http.Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal)),
                fromSnapshot is null ? "the process environment" : "the resource snapshot");
            if (healthy.Count == ReplicaCount)
            {
                return [.. healthy.Values.OrderBy(replica => replica.Name, StringComparer.Ordinal)];
            }
        }
        throw new OperationCanceledException(cancellationToken);
    }

    private static string? ReadProcessEnvironment(int processId, string variable)
    {
        var path = $"/proc/{processId}/environ";
        if (!File.Exists(path))
        {
            return null;
        }
        return File.ReadAllText(path).Split('\0')
            .FirstOrDefault(entry => entry.StartsWith(variable + "=", StringComparison.Ordinal))?[(variable.Length + 1)..];
    }
}

// xUnit needs the collection definition in the test assembly itself.
[CollectionDefinition(Name)]
public sealed class ReplicasCollection : ICollectionFixture<ReplicasFixture>
{
    public const string Name = "replicas";
}
