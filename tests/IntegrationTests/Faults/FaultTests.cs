using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace IntegrationTests.Faults;

/// <summary>
/// The system under faults, with real processes stopped and killed: Redis and Postgres going away and coming
/// back (with or without their data), the billing consumer dying mid-batch, a gateway dying with holds out,
/// and duplicate stream delivery. Each test ends with the money checked against the ledger: every generation
/// billed exactly once, nothing lost, nothing created.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class FaultTests(FaultsFixture fixture, ITestOutputHelper output)
{
    private const string Model = "openai/gpt-4o-mini";

    private static readonly TimeSpan RecoveryTimeout = FaultChecks.RecoveryTimeout;

    // Generous for a loaded 2-core machine; a refusal that waits for Redis's reconnect takes about 5 s.
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(2);

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private DistributedApplication App => fixture.App;

    [Fact]
    public async Task With_Redis_down_the_gateway_fails_closed_with_503_and_recovers_by_itself_when_Redis_returns()
    {
        var (owner, gateway) = await FundedClientAsync("redis down");
        using var disposeGateway = gateway;
        var first = await CompleteAsync(gateway, "before the outage");
        var unseenKey = await TestAccounts.CreateInferenceKeyAsync(App, owner, "not used before the outage");

        await fixture.StopRedisAsync();
        try
        {
            // Credits cannot be checked, so no upstream call: a clear 503 in OpenRouter's format, never a 500.
            // And at once: the gateway's Redis connection fails fast instead of queueing the command until a reconnect.
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var refused = await gateway.PostAsync("/api/v1/chat/completions", Chat("during the outage"), Timeout);
            stopwatch.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(stopwatch.Elapsed < RefusalBound, $"the refusal took {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
            var refusedIn = stopwatch.Elapsed;
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Timeout));
            Assert.Equal(503, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("error").GetProperty("message").GetString()));

            // A key this gateway has not seen yet cannot be looked up: 503 too, not 401 (it is not invalid) nor 500.
            using var unseen = TestAccounts.CreateGatewayClient(App, unseenKey.Secret);
            stopwatch.Restart();
            var lookup = await unseen.PostAsync("/api/v1/chat/completions", Chat("unseen key during the outage"), Timeout);
            stopwatch.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, lookup.StatusCode);
            Assert.True(stopwatch.Elapsed < RefusalBound, $"the unseen key's refusal took {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
            output.WriteLine($"refusals with Redis down: {refusedIn.TotalMilliseconds:F0} ms, unseen key {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
            using var lookupError = JsonDocument.Parse(await lookup.Content.ReadAsStringAsync(Timeout));
            Assert.Equal(503, lookupError.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
        finally
        {
            await fixture.StartResourceAsync("redis");
        }

        // No restart of anything: the gateway reconnects by itself.
        var second = await WaitUntilServedAsync(gateway, "after the outage");
        await AssertBilledExactlyAsync(gateway, [first, second]);
    }

    [Fact]
    public async Task A_generation_whose_settlement_meets_Redis_down_is_charged_once_Redis_returns()
    {
        using var gateway = (await FundedClientAsync("late settlement")).Gateway;
        using var emulators = App.CreateHttpClient("emulators");
        // Slow tokens: the stream is still running when Redis goes away, and ends while it is away.
        Assert.Equal(HttpStatusCode.OK, (await emulators.PutAsJsonAsync("/emulator/providers/openai", new { interTokenDelayMs = 250 }, Timeout)).StatusCode);
        Served served;
        try
        {
            var text = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"word{i}"));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = Chat(text, stream: true) };
            using var response = await gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Timeout));
            var lines = new List<string>();
            while (await reader.ReadLineAsync(Timeout) is { } line && !line.StartsWith("data: {", StringComparison.Ordinal))
            {
                lines.Add(line);
            }

            await fixture.StopRedisAsync();
            try
            {
                lines.Add(await reader.ReadToEndAsync(Timeout));
            }
            finally
            {
                await fixture.StartResourceAsync("redis");
            }
            var usageChunk = string.Join('\n', lines).Split('\n')
                .Where(line => line.StartsWith("data: {", StringComparison.Ordinal)).Select(line => line[6..]).Last();
            served = ServedFrom(usageChunk);
        }
        finally
        {
            await emulators.DeleteAsync("/emulator/providers/openai", Timeout);
        }

        // The caller got its answer while Redis was away; the charge waited in the gateway and landed once.
        await AssertBilledExactlyAsync(gateway, [served]);
    }

    [Fact]
    public async Task A_Redis_that_returns_without_its_data_is_rebuilt_from_Postgres_without_loss()
    {
        using var gateway = (await FundedClientAsync("redis data lost")).Gateway;
        var first = await CompleteAsync(gateway, "before the data loss");
        using (await TestAccounts.WaitForGenerationAsync(gateway, first.Id))
        {
        }
        var canary = $"test:canary:{Guid.NewGuid():N}";
        await using (var redis = await ConnectRedisAsync())
        {
            Assert.True(await redis.GetDatabase().StringSetAsync(canary, "written before the loss"));
        }

        await fixture.StopRedisAsync();
        try
        {
            // The append-only files are Redis's whole memory: without them it starts empty.
            var redisData = Path.Combine(fixture.DataDirectory, "redis");
            foreach (var entry in Directory.EnumerateFileSystemEntries(redisData))
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }
        finally
        {
            await fixture.StartResourceAsync("redis");
        }
        await using (var redis = await ConnectRedisAsync())
        {
            // Billing may already have rewritten the key directory; a key only this test wrote shows the loss.
            Assert.False(await redis.GetDatabase().KeyExistsAsync(canary), "Redis came back with its data");
        }

        // Billing notices the empty Redis and rewrites keys and balances from Postgres; then the key works again.
        var second = await WaitUntilServedAsync(gateway, "after the data loss");
        await AssertBilledExactlyAsync(gateway, [first, second]);
    }

    [Fact]
    public async Task With_Postgres_down_inference_goes_on_and_the_usage_is_written_once_Postgres_returns()
    {
        using var gateway = (await FundedClientAsync("postgres down")).Gateway;
        var served = new List<Served> { await CompleteAsync(gateway, "before the outage") };

        await fixture.StopResourceAsync("postgres");
        try
        {
            // Keys and balances live in Redis; the usage events wait in the stream.
            for (var i = 0; i < 3; i++)
            {
                served.Add(await CompleteAsync(gateway, $"during the outage {i}", stream: i == 1));
            }
        }
        finally
        {
            await fixture.StartResourceAsync("postgres");
        }

        await AssertBilledExactlyAsync(gateway, served);
    }

    // The generation an entry of the usage stream or of its dead letters is for: its `gen` field (a dead letter's, or
    // an event in the older one-field-per-value form), else the event it holds; null when neither can be read.
    private static string? GenerationIdOf(StreamEntry entry)
    {
        if (Array.Find(entry.Values, field => field.Name == "gen") is { Value.IsNull: false } gen)
        {
            return gen.Value.ToString();
        }
        try
        {
            return UsageEvent.FromStreamFields(entry.Values).GenerationId;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Events_a_crashed_consumer_read_but_never_acknowledged_are_billed_once_by_another()
    {
        using var gateway = (await FundedClientAsync("consumer crash")).Gateway;

        // Once the gateway has the account's credits, it serves without billing.
        List<Served> served = [await CompleteAsync(gateway, "while billing is up")];

        // While billing is down (killed) the events pile up; a consumer then takes them and dies before acknowledging.
        await fixture.KillResourceAsync("billing");
        try
        {
            served.Add(await CompleteAsync(gateway, "first"));
            served.Add(await CompleteAsync(gateway, "second", stream: true));
            await using var redis = await ConnectRedisAsync();
            var taken = await redis.GetDatabase().StreamReadGroupAsync(
                CreditStore.UsageStream, "billing", "consumer-that-crashes", StreamPosition.NewMessages, count: 100);
            Assert.Contains(taken, entry => GenerationIdOf(entry) == served[1].Id);
            Assert.Contains(taken, entry => GenerationIdOf(entry) == served[2].Id);
        }
        finally
        {
            await fixture.StartResourceAsync("billing");
        }

        await AssertBilledExactlyAsync(gateway, served);
    }

    [Fact]
    public async Task A_usage_event_delivered_twice_is_billed_once()
    {
        using var gateway = (await FundedClientAsync("duplicate delivery")).Gateway;
        var served = await CompleteAsync(gateway, "only once");
        using (await TestAccounts.WaitForGenerationAsync(gateway, served.Id))
        {
        }

        // The same event again, as a redelivery after a lost acknowledgement would bring it.
        await using (var redis = await ConnectRedisAsync())
        {
            var database = redis.GetDatabase();
            var duplicate = await DuplicateOfRecordedEventAsync(served);
            await database.StreamAddAsync(CreditStore.UsageStream, duplicate.ToStreamFields());
            await WaitUntilAsync(async () => await database.StreamLengthAsync(CreditStore.UsageStream) == 0, "the duplicate was not consumed");
        }

        await AssertBilledExactlyAsync(gateway, [served]);
    }

    [Fact]
    public async Task A_batch_with_duplicates_a_malformed_event_and_an_unknown_account_records_each_generation_once()
    {
        using var gateway = (await FundedClientAsync("batched recording")).Gateway;
        List<Served> served = [await CompleteAsync(gateway, "first"), await CompleteAsync(gateway, "second", stream: true)];
        foreach (var generation in served)
        {
            using (await TestAccounts.WaitForGenerationAsync(gateway, generation.Id))
            {
            }
        }

        // One transaction, so the consumer reads them as one batch: redeliveries of both, a new generation twice,
        // one for an account that does not exist and one that is not a usage event at all.
        var fresh = await DuplicateOfRecordedEventAsync(served[0]) with { GenerationId = $"gen-batch-{Guid.NewGuid():N}", CostNanos = 1_234_567 };
        var stranger = fresh with { GenerationId = $"gen-stranger-{Guid.NewGuid():N}", AccountId = Guid.NewGuid() };
        var malformedId = $"gen-malformed-{Guid.NewGuid():N}";
        await using (var redis = await ConnectRedisAsync())
        {
            var database = redis.GetDatabase();
            NameValueEntry[][] events =
            [
                (await DuplicateOfRecordedEventAsync(served[0])).ToStreamFields(), fresh.ToStreamFields(),
                (await DuplicateOfRecordedEventAsync(served[1])).ToStreamFields(), stranger.ToStreamFields(), fresh.ToStreamFields(),
                [new NameValueEntry("gen", malformedId), new NameValueEntry("cost", "not a number")],
            ];
            var batch = database.CreateTransaction();
            var added = events.Select(fields => batch.StreamAddAsync(CreditStore.UsageStream, fields)).ToList();
            Assert.True(await batch.ExecuteAsync());
            var ids = await Task.WhenAll(added);
            // Its own entries, not the whole stream: events of other tests may be on their way through.
            await WaitUntilAsync(async () =>
            {
                foreach (var id in ids)
                {
                    if ((await database.StreamRangeAsync(CreditStore.UsageStream, id, id)).Length > 0)
                    {
                        return false;
                    }
                }
                return true;
            }, "the batch was not consumed");

            var dead = await database.StreamRangeAsync(CreditStore.UsageStream + ":dead", "-", "+");
            Assert.Single(dead, entry => GenerationIdOf(entry) == stranger.GenerationId);
            Assert.Single(dead, entry => GenerationIdOf(entry) == malformedId);
            Assert.DoesNotContain(dead, entry => GenerationIdOf(entry) is { } id && (id == fresh.GenerationId || served.Any(s => s.Id == id)));
        }

        await AssertBilledExactlyAsync(gateway, [.. served, new Served(fresh.GenerationId, 0.001234567m)]);
    }

    [Fact]
    public async Task A_gateway_killed_mid_stream_leaves_holds_that_lapse_and_charges_nothing_for_the_dead_request()
    {
        var owner = await TestAccounts.CreateAsync(App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(App, owner, "gateway crash");
        using (var provisioning = TestAccounts.CreateGatewayClient(App, owner.ProvisioningKey))
        {
            // One request in flight at a time: the dead gateway's hold keeps the slot until it lapses.
            var capped = await provisioning.PatchAsJsonAsync($"/api/v1/keys/{key.Hash}", new { max_concurrent_requests = 1 }, Timeout);
            Assert.Equal(HttpStatusCode.OK, capped.StatusCode);
        }

        using var emulators = App.CreateHttpClient("emulators");
        var slowed = await emulators.PutAsJsonAsync("/emulator/providers/openai", new { timeToFirstTokenMs = 60_000 }, Timeout);
        Assert.Equal(HttpStatusCode.OK, slowed.StatusCode);
        try
        {
            using (var doomed = TestAccounts.CreateGatewayClient(App, key.Secret))
            {
                doomed.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
                using var pending = new CancellationTokenSource(TimeSpan.FromSeconds(90));
                var inFlight = doomed.SendAsync(
                    new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = Chat("never finishes", stream: true) },
                    HttpCompletionOption.ResponseHeadersRead, pending.Token);
                await using (var redis = await ConnectRedisAsync())
                {
                    await WaitUntilAsync(async () => (await redis.GetDatabase().HashLengthAsync($"{{acct:{await AccountIdAsync(owner):N}}}:holds")) > 0,
                        "no hold was placed");
                }
                await fixture.KillResourceAsync("gateway");
                await Assert.ThrowsAnyAsync<Exception>(async () =>
                {
                    using var response = await inFlight;
                    await response.Content.ReadAsStringAsync(pending.Token);
                    throw new InvalidOperationException("the stream ended normally");
                });
            }
        }
        finally
        {
            await emulators.DeleteAsync("/emulator/providers/openai", Timeout);
            if (App.ResourceNotifications.TryGetCurrentState("gateway", out var state) && state.Snapshot.State?.Text != KnownResourceStates.Running)
            {
                await fixture.StartResourceAsync("gateway");
            }
        }

        using var gateway = TestAccounts.CreateGatewayClient(App, key.Secret);
        var refused = await gateway.PostAsync("/api/v1/chat/completions", Chat("while the dead request's slot is held"), Timeout);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        // Once the hold lapses, the slot and the held credit are free again; the dead request cost nothing.
        var served = await WaitUntilServedAsync(gateway, "after the hold lapsed");
        await AssertBilledExactlyAsync(gateway, [served]);
    }

    [Fact]
    public async Task An_upstream_error_storm_leaves_no_holds_no_charges_and_no_piled_up_connections()
    {
        var owner = await TestAccounts.CreateAsync(App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(App, owner, "error storm");
        using var gateway = TestAccounts.CreateGatewayClient(App, key.Secret);
        var warmUp = await CompleteAsync(gateway, "warm the connection pool");
        var emulatorPort = App.GetEndpoint("emulators", "http").Port;
        var connectionsBefore = EstablishedConnectionsTo(emulatorPort);

        using var emulators = App.CreateHttpClient("emulators");
        Assert.Equal(HttpStatusCode.OK, (await emulators.PutAsJsonAsync("/emulator/providers/openai", new { fail = "500" }, Timeout)).StatusCode);
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var failed = await gateway.PostAsync("/api/v1/chat/completions", Chat($"storm {i}", stream: i % 2 == 0), Timeout);
                Assert.True((int)failed.StatusCode >= 500, $"request {i} was {(int)failed.StatusCode}");
                await failed.Content.ReadAsStringAsync(Timeout);
            }
        }
        finally
        {
            await emulators.DeleteAsync("/emulator/providers/openai", Timeout);
        }

        // Every failed response was disposed, so the pool reused its connections instead of opening new ones.
        Assert.InRange(EstablishedConnectionsTo(emulatorPort), 0, connectionsBefore + 4);
        await FaultChecks.AssertNothingHeldAsync(App, owner);
        // The account paid for the two answers and nothing for the forty failures.
        var served = await CompleteAsync(gateway, "after the storm");
        await AssertBilledExactlyAsync(gateway, [warmUp, served]);
    }

    private async Task<(TestAccount Owner, HttpClient Gateway)> FundedClientAsync(string name)
    {
        var owner = await TestAccounts.CreateAsync(App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(App, owner, name);
        return (owner, TestAccounts.CreateGatewayClient(App, key.Secret));
    }

    private static StringContent Chat(string text, bool stream = false)
        => new(JsonSerializer.Serialize(new { model = Model, messages = new[] { new { role = "user", content = text } }, stream }),
            Encoding.UTF8, "application/json");

    /// <summary>One successful call; its generation id and the cost the gateway reported (in the last chunk when streamed).</summary>
    private static async Task<Served> CompleteAsync(HttpClient gateway, string text, bool stream = false)
    {
        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat(text, stream), Timeout);
        if (!stream)
        {
            return await ServedFromAsync(response);
        }
        var body = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var usageChunk = body.Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal)).Select(line => line[6..]).Last();
        return ServedFrom(usageChunk);
    }

    /// <summary>Retries until the gateway serves again (503s, and 401/429 while caches and holds settle).</summary>
    private static async Task<Served> WaitUntilServedAsync(HttpClient gateway, string text)
    {
        var deadline = DateTimeOffset.UtcNow + RecoveryTimeout;
        while (true)
        {
            var response = await gateway.PostAsync("/api/v1/chat/completions", Chat(text), Timeout);
            if (response.StatusCode == HttpStatusCode.OK || DateTimeOffset.UtcNow > deadline)
            {
                return await ServedFromAsync(response);
            }
            await Task.Delay(250, Timeout);
        }
    }

    private static async Task<Served> ServedFromAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return ServedFrom(body);
    }

    private async Task<UsageEvent> DuplicateOfRecordedEventAsync(Served served)
    {
        await using var db = await OpenBillingDbAsync();
        await using var query = new NpgsqlCommand(
            "SELECT \"AccountId\", \"ApiKeyId\", \"ProviderSlug\", \"ProviderName\", \"CreatedAt\" FROM generations WHERE \"Id\" = @id", db);
        query.Parameters.AddWithValue("id", served.Id);
        await using var reader = await query.ExecuteReaderAsync(Timeout);
        Assert.True(await reader.ReadAsync(Timeout));
        return new UsageEvent
        {
            GenerationId = served.Id,
            AccountId = reader.GetGuid(0),
            KeyId = reader.GetGuid(1),
            Model = Model,
            ProviderSlug = reader.GetString(2),
            ProviderName = reader.GetString(3),
            PromptTokens = 10,
            CompletionTokens = 10,
            CostNanos = (long)(served.Cost * 1_000_000_000m),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
        };
    }

    private static Served ServedFrom(string completionJson) => FaultChecks.ServedFrom(completionJson);

    private Task AssertBilledExactlyAsync(HttpClient gateway, IReadOnlyList<Served> served) => FaultChecks.AssertBilledExactlyAsync(App, gateway, served);

    private static Task<JsonDocument> WaitForGenerationAsync(HttpClient gateway, string generationId) => FaultChecks.WaitForGenerationAsync(gateway, generationId);

    private Task<NpgsqlConnection> OpenBillingDbAsync() => FaultChecks.OpenBillingDbAsync(App);

    private Task<Guid> AccountIdAsync(TestAccount owner) => FaultChecks.AccountIdAsync(App, owner);

    private Task<ConnectionMultiplexer> ConnectRedisAsync() => FaultChecks.ConnectRedisAsync(App);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string failure) => FaultChecks.WaitUntilAsync(condition, failure);

    private static int EstablishedConnectionsTo(int port) => FaultChecks.EstablishedConnectionsTo(port);
}
