using System.Net;
using System.Text.Json;
using Npgsql;
using StackExchange.Redis;

namespace IntegrationTests.Faults;

/// <summary>A served generation: its id and the cost the gateway reported to the caller.</summary>
public sealed record Served(string Id, decimal Cost);

/// <summary>
/// The checks every fault test ends with, against the real stores: the money (each served generation recorded
/// once at the reported cost, usage equal to their sum), the holds in Redis, and the gateway's connections.
/// </summary>
public static class FaultChecks
{
    public static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    public static Served ServedFrom(string completionJson)
    {
        using var document = JsonDocument.Parse(completionJson);
        return new Served(
            document.RootElement.GetProperty("id").GetString()!,
            document.RootElement.GetProperty("usage").GetProperty("cost").GetDecimal());
    }

    /// <summary>
    /// Every served generation recorded exactly once with the reported cost, and the account's usage (the ledger)
    /// equal to their sum: nothing billed twice, nothing free, no money made or lost.
    /// </summary>
    public static async Task AssertBilledExactlyAsync(DistributedApplication app, HttpClient gateway, IReadOnlyList<Served> served, decimal credits = 5m)
    {
        foreach (var generation in served)
        {
            using var recorded = await WaitForGenerationAsync(gateway, generation.Id);
            Assert.Equal(generation.Cost, recorded.RootElement.GetProperty("data").GetProperty("total_cost").GetDecimal());
        }

        await using var db = await OpenBillingDbAsync(app);
        await using (var rows = new NpgsqlCommand("SELECT count(*) FROM generations WHERE \"Id\" = ANY(@ids)", db))
        {
            rows.Parameters.AddWithValue("ids", served.Select(generation => generation.Id).ToArray());
            Assert.Equal((long)served.Count, (long)(await rows.ExecuteScalarAsync(Timeout))!);
        }

        var expected = served.Sum(generation => generation.Cost);
        await WaitUntilAsync(async () =>
        {
            using var balance = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
            return balance.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal() == expected;
        }, $"the account's usage never equalled the {served.Count} generations' cost {expected}");
        using var final = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
        Assert.Equal(credits, final.RootElement.GetProperty("data").GetProperty("total_credits").GetDecimal());
        Assert.Equal(expected, final.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());
    }

    /// <summary><see cref="TestAccounts.WaitForGenerationAsync"/> with room for a store that is still coming back.</summary>
    public static async Task<JsonDocument> WaitForGenerationAsync(HttpClient gateway, string generationId)
    {
        var deadline = DateTimeOffset.UtcNow + RecoveryTimeout;
        while (true)
        {
            var response = await gateway.GetAsync($"/api/v1/generation?id={generationId}", Timeout);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"generation {generationId} was not recorded: {(int)response.StatusCode}");
            await Task.Delay(250, Timeout);
        }
    }

    /// <summary>Unpooled: a pooled connection would be one that a Postgres restart broke.</summary>
    public static async Task<NpgsqlConnection> OpenBillingDbAsync(DistributedApplication app)
    {
        var connection = new NpgsqlConnection($"{await app.GetConnectionStringAsync("billingdb", Timeout)};Pooling=false");
        await connection.OpenAsync(Timeout);
        return connection;
    }

    public static async Task<Guid> AccountIdAsync(DistributedApplication app, TestAccount owner)
    {
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(app);
        using var account = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{owner.UserId}", Timeout));
        return account.RootElement.GetProperty("id").GetGuid();
    }

    public static async Task<ConnectionMultiplexer> ConnectRedisAsync(DistributedApplication app)
        => await ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync("redis", Timeout))!);

    /// <summary>
    /// Nothing of the account's credit stays held: no request's hold, and the gateway's credit lease (credit it set
    /// aside for requests without limits) has gone back, as it does a couple of seconds after its last use.
    /// </summary>
    public static async Task AssertNothingHeldAsync(DistributedApplication app, TestAccount owner)
    {
        await using var redis = await ConnectRedisAsync(app);
        var account = $"{{acct:{await AccountIdAsync(app, owner):N}}}";
        await WaitUntilAsync(async () => await redis.GetDatabase().HashLengthAsync(account + ":holds") == 0
                && (long)await redis.GetDatabase().HashGetAsync(account, "held") == 0,
            "credit is still held for the account");
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTimeOffset.UtcNow + RecoveryTimeout;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, failure);
            await Task.Delay(250, Timeout);
        }
    }

    /// <summary>Established TCP connections (IPv4 and IPv6) whose remote end is <paramref name="port"/> on this machine.</summary>
    public static int EstablishedConnectionsTo(int port)
    {
        const string Established = "01";
        var portHex = port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(path => File.ReadLines(path).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => fields[2].EndsWith(":" + portHex, StringComparison.Ordinal) && fields[3] == Established);
    }
}
