using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationTests.Faults;

/// <summary>
/// Storms of upstream faults injected through the emulators' control API (hangs, resets, malformed chunks,
/// 429s), through the real gateway: fallbacks serve while nothing has reached the caller, circuit breakers
/// open and close again, and afterwards no hold is left, every answer is billed once and failures cost nothing.
/// Also: hundreds of failing requests leave the gateway's connections and memory bounded.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class UpstreamFaultTests(FaultsFixture fixture, ITestOutputHelper output)
{
    // Qwen3 32B: DeepInfra is the cheapest endpoint and first; Groq is the fallback.
    private const string FallbackModel = "qwen/qwen3-32b";

    // Llama 3.3 70B: DeepInfra first, then Groq; its DeepInfra endpoint has a breaker of its own.
    private const string BreakerModel = "meta-llama/llama-3.3-70b-instruct";

    // OpenAI is gpt-4o-mini's only endpoint: every request meets the fault, none is steered around it.
    private const string SingleEndpointModel = "openai/gpt-4o-mini";

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private DistributedApplication App => fixture.App;

    [Fact]
    public async Task A_storm_of_upstreams_hanging_before_the_first_token_falls_back_after_the_first_token_timeout()
    {
        var (owner, gateway) = await FundedClientAsync("hang storm");
        using var disposeGateway = gateway;
        var served = await WaitUntilPreferredAsync(gateway, FallbackModel, "DeepInfra");

        await using (await FaultAsync("deepinfra", new { fail = "hang" }))
        {
            // In parallel, so every request meets the hang before the breaker has seen a failure.
            var storm = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
            {
                var stopwatch = Stopwatch.StartNew();
                var reply = await StreamAsync(gateway, FallbackModel, $"hang {i}");
                return (Reply: reply, Elapsed: stopwatch.Elapsed);
            }));

            foreach (var (reply, elapsed) in storm)
            {
                Assert.Equal(HttpStatusCode.OK, reply.Status);
                Assert.Null(reply.Error);
                Assert.All(reply.Providers, provider => Assert.Equal("Groq", provider));
                // DeepInfra was waited for up to the first-token timeout (not the production minutes), then Groq answered.
                Assert.InRange(elapsed, FaultsFixture.FirstTokenTimeout - TimeSpan.FromMilliseconds(200), FaultsFixture.FirstTokenTimeout + TimeSpan.FromSeconds(10));
                served.Add(reply.Served!);
            }
        }

        await AssertCleanAsync(owner, gateway, served);
    }

    [Fact]
    public async Task A_storm_of_connection_resets_before_the_first_byte_falls_back_to_the_next_endpoint()
    {
        var (owner, gateway) = await FundedClientAsync("reset storm");
        using var disposeGateway = gateway;
        var served = await WaitUntilPreferredAsync(gateway, FallbackModel, "DeepInfra");

        await using (await FaultAsync("deepinfra", new { fail = "reset" }))
        {
            // DeepInfra is first until its breaker opens, so at least the first requests meet the reset.
            var storm = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => i % 2 == 0
                ? StreamAsync(gateway, FallbackModel, $"reset {i}")
                : CompleteAsync(gateway, FallbackModel, $"reset {i}")));

            foreach (var reply in storm)
            {
                Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status}: {reply.Error}");
                Assert.Null(reply.Error);
                Assert.All(reply.Providers, provider => Assert.Equal("Groq", provider));
                served.Add(reply.Served!);
            }
        }

        await AssertCleanAsync(owner, gateway, served);
    }

    [Fact]
    public async Task Malformed_chunks_mid_stream_end_the_stream_with_an_error_chunk_without_retry_and_bill_the_delivered_tokens_once_and_before_any_token_fall_back()
    {
        var (owner, gateway) = await FundedClientAsync("malformed storm");
        using var disposeGateway = gateway;
        var served = await WaitUntilPreferredAsync(gateway, FallbackModel, "DeepInfra");

        await using (await FaultAsync("deepinfra", new { fail = "malformed", failAfterTokens = 2 }))
        {
            var storm = await Task.WhenAll(Enumerable.Range(0, 8)
                .Select(i => StreamAsync(gateway, FallbackModel, $"one two three four five six seven eight {i}")));

            foreach (var reply in storm)
            {
                // The 200 and the first tokens were out: the failure is told in the stream, and Groq is never asked.
                Assert.Equal(HttpStatusCode.OK, reply.Status);
                Assert.NotNull(reply.Error);
                Assert.Equal(502, reply.Error.Value.GetProperty("code").GetInt32());
                Assert.True(reply.DeliveredText.Length > 0, "no tokens were delivered before the break");
                Assert.All(reply.Providers, provider => Assert.Equal("DeepInfra", provider));
                Assert.True(reply.EndedWithDone, "the stream did not end with [DONE]");

                using var generation = await FaultChecks.WaitForGenerationAsync(gateway, reply.GenerationId!);
                var data = generation.RootElement.GetProperty("data");
                Assert.Equal("error", data.GetProperty("finish_reason").GetString());
                Assert.True(data.GetProperty("tokens_completion").GetInt32() > 0, "the delivered tokens were not counted");
                var cost = data.GetProperty("total_cost").GetDecimal();
                Assert.True(cost > 0, "the delivered tokens were not charged");
                if (reply.Served is { } told)
                {
                    Assert.Equal(told.Cost, cost);
                }
                served.Add(new Served(reply.GenerationId!, cost));
            }
        }

        // Broken right after the role chunk, before any token: nothing was delivered, so Groq still serves.
        await using (await FaultAsync("deepinfra", new { fail = "malformed" }))
        {
            var storm = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => StreamAsync(gateway, FallbackModel, $"cut at once {i}")));
            foreach (var reply in storm)
            {
                Assert.Equal(HttpStatusCode.OK, reply.Status);
                Assert.Null(reply.Error);
                Assert.All(reply.Providers, provider => Assert.Equal("Groq", provider));
                served.Add(reply.Served!);
            }
        }

        await AssertCleanAsync(owner, gateway, served);
    }

    [Fact]
    public async Task A_429_storm_falls_back_while_another_endpoint_answers_and_is_relayed_with_retry_after_when_none_does()
    {
        var (owner, gateway) = await FundedClientAsync("429 storm");
        using var disposeGateway = gateway;
        var served = await WaitUntilPreferredAsync(gateway, FallbackModel, "DeepInfra");

        await using (await FaultAsync("deepinfra", new { fail = "429" }))
        {
            // One provider rate-limits: another may serve, so the gateway falls back (a 429 is retryable).
            for (var i = 0; i < 10; i++)
            {
                var reply = i % 2 == 0 ? await StreamAsync(gateway, FallbackModel, $"limited {i}") : await CompleteAsync(gateway, FallbackModel, $"limited {i}");
                Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status}: {reply.Error}");
                Assert.All(reply.Providers, provider => Assert.Equal("Groq", provider));
                served.Add(reply.Served!);
            }

            // Every provider rate-limits: the caller gets the 429 with the provider's Retry-After, and pays nothing.
            await using (await FaultAsync("groq", new { fail = "429" }))
            {
                var refusals = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
                {
                    using var response = await gateway.PostAsync("/api/v1/chat/completions", Chat(FallbackModel, $"storm {i}"), Timeout);
                    return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: await response.Content.ReadAsStringAsync(Timeout));
                }));
                foreach (var (status, retryAfter, body) in refusals)
                {
                    Assert.True(status == HttpStatusCode.TooManyRequests, $"{(int)status}: {body}");
                    Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
                    using var error = JsonDocument.Parse(body);
                    Assert.Equal(429, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
                }
            }
        }

        await AssertCleanAsync(owner, gateway, served);
    }

    [Fact]
    public async Task An_endpoint_whose_circuit_opened_is_preferred_again_by_price_once_its_provider_recovers()
    {
        var (owner, gateway) = await FundedClientAsync("breaker closes");
        using var disposeGateway = gateway;
        var served = await WaitUntilPreferredAsync(gateway, BreakerModel, "DeepInfra");
        var opened = new Stopwatch();

        // DeepInfra fails slowly: while it is first, every answer takes the detour through it.
        await using (await FaultAsync("deepinfra", new { timeToFirstTokenMs = 2000, fail = "503" }))
        {
            for (var i = 0; i < 3; i++)
            {
                var reply = await CompleteAsync(gateway, BreakerModel, $"failing {i}");
                Assert.Equal("Groq", Assert.Single(reply.Providers.Distinct()));
                served.Add(reply.Served!);
            }
            opened.Start();

            // Open: Groq is asked first, without the 2 s detour.
            var stopwatch = Stopwatch.StartNew();
            var steered = await CompleteAsync(gateway, BreakerModel, "while open");
            Assert.Equal("Groq", Assert.Single(steered.Providers.Distinct()));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {stopwatch.Elapsed}: DeepInfra was still tried first");
            served.Add(steered.Served!);
        }

        // DeepInfra has recovered, but until the cool-down ends the breaker still sends requests to Groq.
        var early = await CompleteAsync(gateway, BreakerModel, "recovered, still open");
        var earlyAt = opened.Elapsed;
        served.Add(early.Served!);
        if (earlyAt < FaultsFixture.CircuitOpenDuration - TimeSpan.FromMilliseconds(500))
        {
            Assert.Equal("Groq", Assert.Single(early.Providers.Distinct()));
        }

        // After the cool-down one request tries DeepInfra again (half-open); it succeeds, and the circuit closes.
        var deadline = FaultsFixture.CircuitOpenDuration + TimeSpan.FromSeconds(15);
        string provider;
        do
        {
            Assert.True(opened.Elapsed < deadline, "the circuit never closed: DeepInfra was not preferred again");
            await Task.Delay(250, Timeout);
            var reply = await CompleteAsync(gateway, BreakerModel, "probing");
            served.Add(reply.Served!);
            provider = Assert.Single(reply.Providers.Distinct());
        }
        while (provider != "DeepInfra");
        var closedAt = opened.Elapsed;
        Assert.True(closedAt >= FaultsFixture.CircuitOpenDuration - TimeSpan.FromSeconds(1), $"DeepInfra was tried again after {closedAt}, before the cool-down");
        output.WriteLine($"circuit opened, then DeepInfra preferred again after {closedAt.TotalSeconds:F1} s (cool-down {FaultsFixture.CircuitOpenDuration.TotalSeconds} s)");

        // Closed: the cheapest endpoint is first again for every request.
        for (var i = 0; i < 3; i++)
        {
            var reply = await CompleteAsync(gateway, BreakerModel, $"closed {i}");
            Assert.Equal("DeepInfra", Assert.Single(reply.Providers.Distinct()));
            served.Add(reply.Served!);
        }

        await AssertCleanAsync(owner, gateway, served);
    }

    [Fact]
    public async Task Hundreds_of_failing_requests_leave_the_gateways_connections_and_memory_bounded()
    {
        var (owner, gateway) = await FundedClientAsync("leak storm");
        using var disposeGateway = gateway;
        List<Served> served = [(await CompleteAsync(gateway, SingleEndpointModel, "warm up")).Served!];
        var emulatorPort = App.GetEndpoint("emulators", "http").Port;
        var pid = fixture.ProcessIdOf("gateway");

        // A first, smaller storm warms JIT, pools and caches, so what follows measures growth, not start-up.
        await FailingStormAsync(gateway, perKind: 15, hangs: 4);
        await Task.Delay(500, Timeout);
        var connectionsBefore = FaultChecks.EstablishedConnectionsTo(emulatorPort);
        var rssBefore = ResidentKilobytes(pid);

        var failures = await FailingStormAsync(gateway, perKind: 100, hangs: 16);
        await Task.Delay(500, Timeout);
        var connectionsAfter = FaultChecks.EstablishedConnectionsTo(emulatorPort);
        var rssAfter = ResidentKilobytes(pid);
        output.WriteLine($"{failures} failed requests; connections to the emulators {connectionsBefore} -> {connectionsAfter}; gateway VmRSS {rssBefore / 1024} MB -> {rssAfter / 1024} MB");

        Assert.Equal(pid, fixture.ProcessIdOf("gateway"));
        // Failed responses are disposed and reset or hung connections closed: the pool holds at most one
        // connection per concurrent request (8), not one per failure (over 300).
        Assert.InRange(connectionsAfter, 0, connectionsBefore + StormConcurrency + 4);
        // Generous: the GC may keep garbage around, but 300 leaked requests with their buffers would not fit.
        Assert.True(rssAfter - rssBefore < 150 * 1024, $"gateway VmRSS grew from {rssBefore} kB to {rssAfter} kB");

        served.Add((await CompleteAsync(gateway, SingleEndpointModel, "after the storm")).Served!);
        await AssertCleanAsync(owner, gateway, served);
    }

    private const int StormConcurrency = 8;

    /// <summary>
    /// Fails requests against the only endpoint of a model, <paramref name="perKind"/> each for a 500, a reset and a
    /// truncated answer (half of them streamed), then <paramref name="hangs"/> streams that hang until the first-token
    /// timeout. Every one must fail; returns how many did.
    /// </summary>
    private async Task<int> FailingStormAsync(HttpClient gateway, int perKind, int hangs)
    {
        var failed = 0;
        foreach (var fail in new[] { "500", "reset", "malformed" })
        {
            await using (await FaultAsync("openai", new { fail }))
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, perKind), new ParallelOptions { MaxDegreeOfParallelism = StormConcurrency }, async (i, _) =>
                {
                    var reply = i % 2 == 0 ? await StreamAsync(gateway, SingleEndpointModel, $"{fail} {i}") : await CompleteAsync(gateway, SingleEndpointModel, $"{fail} {i}");
                    Assert.True(reply.Status != HttpStatusCode.OK || reply.Error is not null, $"{fail} {i} was served");
                    Interlocked.Increment(ref failed);
                });
            }
        }
        await using (await FaultAsync("openai", new { fail = "hang" }))
        {
            var hung = await Task.WhenAll(Enumerable.Range(0, hangs).Select(i => StreamAsync(gateway, SingleEndpointModel, $"hang {i}")));
            Assert.All(hung, reply => Assert.True(reply.Status != HttpStatusCode.OK || reply.Error is not null, "a hung request was served"));
            failed += hung.Length;
        }
        return failed;
    }

    private static long ResidentKilobytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>After a storm: no hold left for the account, every served generation billed once, usage equal to their sum.</summary>
    private async Task AssertCleanAsync(TestAccount owner, HttpClient gateway, IReadOnlyList<Served> served)
    {
        await FaultChecks.AssertNothingHeldAsync(App, owner);
        await FaultChecks.AssertBilledExactlyAsync(App, gateway, served);
    }

    /// <summary>
    /// Sends requests until <paramref name="provider"/> answers first, so a storm starts with its breaker closed
    /// (an earlier test may have opened it; it closes after the fixture's cool-down). What was served is billed.
    /// </summary>
    private static async Task<List<Served>> WaitUntilPreferredAsync(HttpClient gateway, string model, string provider)
    {
        List<Served> served = [];
        var deadline = DateTimeOffset.UtcNow + FaultsFixture.CircuitOpenDuration + TimeSpan.FromSeconds(15);
        while (true)
        {
            var reply = await CompleteAsync(gateway, model, "which provider");
            Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status}: {reply.Error}");
            served.Add(reply.Served!);
            if (reply.Providers.SequenceEqual([provider]))
            {
                return served;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{provider} was never first for {model}");
            await Task.Delay(250, Timeout);
        }
    }

    private async Task<(TestAccount Owner, HttpClient Gateway)> FundedClientAsync(string name)
    {
        var owner = await TestAccounts.CreateAsync(App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(App, owner, name);
        return (owner, TestAccounts.CreateGatewayClient(App, key.Secret));
    }

    /// <summary>Injects a fault into every request to one provider until disposed.</summary>
    private Task<IAsyncDisposable> FaultAsync(string provider, object settings) => EmulatedProviderSettings.ApplyAsync(App, provider, settings);

    // sort: price keeps the endpoints in price order (the default order draws its first one by price), so a storm
    // meets the fault on the cheapest endpoint first, every time.
    private static StringContent Chat(string model, string text, bool stream = false)
        => new(JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = text } }, stream, provider = new { sort = "price" } }),
            Encoding.UTF8, "application/json");

    /// <summary>What the caller saw of one call.</summary>
    /// <param name="Providers">The <c>provider</c> of the answer, or of every streamed chunk that named one.</param>
    /// <param name="Error">The error object: the body's for a refusal, the error chunk's for a stream that broke.</param>
    /// <param name="Served">The generation and its reported cost, when the answer carried usage.</param>
    private sealed record Reply(
        HttpStatusCode Status, IReadOnlyList<string> Providers, JsonElement? Error, Served? Served, string? GenerationId, string DeliveredText, bool EndedWithDone);

    private static async Task<Reply> CompleteAsync(HttpClient gateway, string model, string text)
    {
        using var response = await gateway.PostAsync("/api/v1/chat/completions", Chat(model, text), Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Reply(response.StatusCode, [], root.GetProperty("error").Clone(), null, null, "", false);
        }
        var content = root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString() ?? "";
        return new Reply(response.StatusCode, [root.GetProperty("provider").GetString()!], null, FaultChecks.ServedFrom(body),
            root.GetProperty("id").GetString(), content, false);
    }

    private static async Task<Reply> StreamAsync(HttpClient gateway, string model, string text)
    {
        using var response = await gateway.PostAsync("/api/v1/chat/completions", Chat(model, text, stream: true), Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using var refusal = JsonDocument.Parse(body);
            return new Reply(response.StatusCode, [], refusal.RootElement.GetProperty("error").Clone(), null, null, "", false);
        }

        var providers = new List<string>();
        var delivered = new StringBuilder();
        JsonElement? error = null;
        Served? served = null;
        string? generationId = null;
        foreach (var line in body.Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal)))
        {
            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            var root = chunk.RootElement;
            generationId ??= root.GetProperty("id").GetString();
            if (root.TryGetProperty("provider", out var provider) && provider.ValueKind == JsonValueKind.String)
            {
                providers.Add(provider.GetString()!);
            }
            if (root.TryGetProperty("error", out var failure))
            {
                error = failure.Clone();
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty("cost", out var cost))
            {
                served = new Served(generationId!, cost.GetDecimal());
            }
            foreach (var choice in root.GetProperty("choices").EnumerateArray())
            {
                if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    delivered.Append(content.GetString());
                }
            }
        }
        return new Reply(response.StatusCode, providers, error, served, generationId, delivered.ToString(),
            body.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal));
    }
}
