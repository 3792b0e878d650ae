using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationTests.Replicas;

/// <summary>
/// The gateway keeps nothing per process that a limit depends on: with two replicas, each request sent to a
/// chosen replica's own port, a key's request caps, its credit limit, its revocation and the account's credit
/// holds apply to the key and account in total. A per-replica implementation of any of them would let the
/// second replica grant what the first already used up, which each test below would see.
/// </summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaTests(ReplicasFixture fixture, ITestOutputHelper output)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static StringContent Chat(string model, int? maxTokens = null, string text = "across replicas")
        => new(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = text } },
            ["max_tokens"] = maxTokens,
        }.Where(pair => pair.Value is not null).ToDictionary()), Encoding.UTF8, "application/json");

    /// <summary>A new funded account's key created with <paramref name="settings"/> (caps, limit), and its secret.</summary>
    private async Task<(TestAccount Owner, string Hash, string Secret)> KeyAsync(decimal creditsUsd, object settings)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd);
        using var provisioning = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        var created = await provisioning.PostAsJsonAsync("/api/v1/keys", settings, Timeout);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Timeout));
        return (owner, json.RootElement.GetProperty("data").GetProperty("hash").GetString()!, json.RootElement.GetProperty("key").GetString()!);
    }

    private async Task<HttpClient[]> ClientsAsync(string key)
        => [.. (await fixture.GetReplicasAsync()).Select(replica => replica.CreateClient(key))];

    [Fact]
    public async Task The_gateway_runs_as_two_replicas_each_serving_on_its_own_port()
    {
        var replicas = await fixture.GetReplicasAsync();

        Assert.Equal(ReplicasFixture.ReplicaCount, replicas.Count);
        using var proxied = fixture.CreateGatewayClient();
        foreach (var replica in replicas)
        {
            output.WriteLine($"replica {replica}, proxy {proxied.BaseAddress}");
            // Its own port, not the proxy's: a separate process answering by itself.
            Assert.NotEqual(proxied.BaseAddress!.Port, replica.Address.Port);
            using var client = new HttpClient { BaseAddress = replica.Address, Timeout = TestAppHost.RequestTimeout };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Timeout)).StatusCode);
        }
    }

    [Fact]
    public async Task A_key_s_requests_per_minute_are_counted_over_all_replicas()
    {
        const int perMinute = 4;
        var (_, _, secret) = await KeyAsync(5, new { name = "rpm", rate_limit_per_minute = perMinute });
        var clients = await ClientsAsync(secret);
        try
        {
            // Alternating replicas, one at a time: the first four (two on each) pass; had each replica its own
            // count, all eight would.
            var statuses = new List<(int Replica, HttpStatusCode Status)>();
            for (var i = 0; i < 2 * perMinute; i++)
            {
                var response = await clients[i % clients.Length].PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout);
                statuses.Add((i % clients.Length, response.StatusCode));
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
                }
            }

            Assert.All(statuses.Take(perMinute), entry => Assert.Equal(HttpStatusCode.OK, entry.Status));
            Assert.All(statuses.Skip(perMinute), entry => Assert.Equal(HttpStatusCode.TooManyRequests, entry.Status));
            // Both replicas refused once the shared count was used up.
            Assert.Equal(clients.Length, statuses.Skip(perMinute).Select(entry => entry.Replica).Distinct().Count());
        }
        finally
        {
            Array.ForEach(clients, client => client.Dispose());
        }
    }

    [Fact]
    public async Task A_key_s_concurrency_cap_counts_a_request_in_flight_on_the_other_replica()
    {
        var (_, _, secret) = await KeyAsync(5, new { name = "one-at-a-time", max_concurrent_requests = 1 });
        var clients = await ClientsAsync(secret);
        using var emulators = fixture.App.CreateHttpClient("emulators");
        Assert.Equal(HttpStatusCode.OK, (await emulators.PutAsJsonAsync("/emulator/providers/mistral", new { timeToFirstTokenMs = 1500 }, Timeout)).StatusCode);
        try
        {
            var slow = clients[0].PostAsync("/api/v1/chat/completions", Chat("mistralai/codestral-2501"), Timeout);
            await Task.Delay(500, Timeout);

            var elsewhere = await clients[1].PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout);
            Assert.Equal(HttpStatusCode.TooManyRequests, elsewhere.StatusCode);
            Assert.Equal("1", elsewhere.Headers.GetValues("Retry-After").Single());

            Assert.Equal(HttpStatusCode.OK, (await slow).StatusCode);
            // The slot is freed for every replica once the first request settled. Settlement runs just after the
            // last byte went out, so the caller may be a moment ahead of it: allow a second.
            var deadline = DateTimeOffset.UtcNow.AddSeconds(1);
            HttpStatusCode after;
            while ((after = (await clients[1].PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout)).StatusCode) == HttpStatusCode.TooManyRequests
                && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50, Timeout);
            }
            Assert.Equal(HttpStatusCode.OK, after);
        }
        finally
        {
            await emulators.DeleteAsync("/emulator/providers/mistral", Timeout);
            Array.ForEach(clients, client => client.Dispose());
        }
    }

    [Fact]
    public async Task A_key_s_credit_limit_holds_in_total_and_both_replicas_refuse_with_403_once_it_is_used_up()
    {
        // About three calls' worth: 40 words in, 41 out of gpt-4o-mini cost about $0.00003 each.
        const decimal limit = 0.0001m;
        var (_, _, secret) = await KeyAsync(5, new { name = "limited", limit });
        var clients = await ClientsAsync(secret);
        var words = string.Join(' ', Enumerable.Repeat("word", 40));
        try
        {
            var answered = new List<(int Replica, string Id, decimal Cost)>();
            var refusedBy = new HashSet<int>();
            for (var i = 0; i < 40 && refusedBy.Count < clients.Length; i++)
            {
                var replica = i % clients.Length;
                var response = await clients[replica].PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini", maxTokens: 50, text: words), Timeout);
                var body = await response.Content.ReadAsStringAsync(Timeout);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    // Once one replica refused, the limit is used up for the other as well.
                    Assert.Empty(refusedBy);
                    using var completion = JsonDocument.Parse(body);
                    answered.Add((replica, completion.RootElement.GetProperty("id").GetString()!,
                        completion.RootElement.GetProperty("usage").GetProperty("cost").GetDecimal()));
                    continue;
                }
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"replica {replica}: {(int)response.StatusCode} {body}");
                refusedBy.Add(replica);
            }

            Assert.Equal(clients.Length, refusedBy.Count);
            Assert.Equal(clients.Length, answered.Select(call => call.Replica).Distinct().Count());
            foreach (var call in answered)
            {
                (await TestAccounts.WaitForGenerationAsync(clients[0], call.Id)).Dispose();
            }
            using var key = JsonDocument.Parse(await clients[1].GetStringAsync("/api/v1/key", Timeout));
            var usage = key.RootElement.GetProperty("data").GetProperty("usage").GetDecimal();
            Assert.Equal(answered.Sum(call => call.Cost), usage);
            Assert.True(usage <= limit, $"the key spent {usage} over its limit {limit} across replicas");
        }
        finally
        {
            Array.ForEach(clients, client => client.Dispose());
        }
    }

    [Fact]
    public async Task A_disabled_or_deleted_key_stops_on_every_replica_within_a_second()
    {
        var (owner, disabledHash, disabledSecret) = await KeyAsync(5, new { name = "to-disable" });
        using var provisioning = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        var created = await provisioning.PostAsJsonAsync("/api/v1/keys", new { name = "to-delete" }, Timeout);
        using var createdJson = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Timeout));
        var deletedHash = createdJson.RootElement.GetProperty("data").GetProperty("hash").GetString()!;
        var disabled = await ClientsAsync(disabledSecret);
        var deleted = await ClientsAsync(createdJson.RootElement.GetProperty("key").GetString()!);
        try
        {
            // Each replica now has both keys in its in-process cache (30 s): only the change notice can evict them.
            foreach (var client in disabled.Concat(deleted))
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout)).StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await provisioning.PatchAsJsonAsync($"/api/v1/keys/{disabledHash}", new { disabled = true }, Timeout)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await provisioning.DeleteAsync($"/api/v1/keys/{deletedHash}", Timeout)).StatusCode);
            var deadline = DateTimeOffset.UtcNow.AddSeconds(1);

            var finals = await Task.WhenAll(disabled.Concat(deleted).Select(async client =>
            {
                HttpStatusCode status;
                do
                {
                    status = (await client.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout)).StatusCode;
                }
                while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow < deadline);
                return status;
            }));

            Assert.All(finals, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        }
        finally
        {
            Array.ForEach(disabled, client => client.Dispose());
            Array.ForEach(deleted, client => client.Dispose());
        }
    }

    [Fact]
    public async Task Parallel_calls_split_over_the_replicas_never_overdraw_a_small_balance_and_usage_is_the_sum_of_the_generations()
    {
        // 34 calls of about $0.00003 each would cost about $0.001: the balance pays for well under half.
        const decimal balance = 0.0004m;
        var (_, _, secret) = await KeyAsync(balance, new { name = "burst" });
        var clients = await ClientsAsync(secret);
        var words = string.Join(' ', Enumerable.Repeat("word", 40));
        async Task<(int Replica, HttpStatusCode StatusCode, string Body)> CallAsync(int replica)
        {
            var response = await clients[replica].PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini", maxTokens: 200, text: words), Timeout);
            return (replica, response.StatusCode, await response.Content.ReadAsStringAsync(Timeout));
        }
        try
        {
            // One call on each replica first, so that both are sure to charge this balance whoever wins the burst.
            var warm = new List<(int Replica, HttpStatusCode StatusCode, string Body)>();
            for (var replica = 0; replica < clients.Length; replica++)
            {
                warm.Add(await CallAsync(replica));
                Assert.Equal(HttpStatusCode.OK, warm[^1].StatusCode);
            }
            var responses = warm.Concat(await Task.WhenAll(Enumerable.Range(0, 32).Select(i => CallAsync(i % clients.Length)))).ToList();

            Assert.All(responses, response => Assert.True(
                response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PaymentRequired, $"{(int)response.StatusCode} {response.Body}"));
            var answered = responses.Where(response => response.StatusCode == HttpStatusCode.OK).ToList();
            // Both replicas charged this balance (the warm-up calls) and both reserved against it in the burst, half
            // the requests each; which replica wins the holds is a race, so it is not asserted.
            Assert.Equal(clients.Length, answered.Select(response => response.Replica).Distinct().Count());
            Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.PaymentRequired);

            var told = 0m;
            var recorded = 0m;
            foreach (var response in answered)
            {
                using var completion = JsonDocument.Parse(response.Body);
                told += completion.RootElement.GetProperty("usage").GetProperty("cost").GetDecimal();
                using var generation = await TestAccounts.WaitForGenerationAsync(clients[0], completion.RootElement.GetProperty("id").GetString()!);
                recorded += generation.RootElement.GetProperty("data").GetProperty("total_cost").GetDecimal();
            }
            using var credits = JsonDocument.Parse(await clients[1].GetStringAsync("/api/v1/credits", Timeout));
            var usage = credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal();
            Assert.Equal(told, recorded);
            Assert.Equal(recorded, usage);
            Assert.True(usage <= balance, $"usage {usage} overdrew the balance {balance} across replicas");
        }
        finally
        {
            Array.ForEach(clients, client => client.Dispose());
        }
    }

    /// <summary>Whether <paramref name="pid"/> is <paramref name="ancestor"/> or one of its descendants (Linux /proc).</summary>
    private static bool IsSameOrDescendant(int pid, int ancestor)
    {
        for (var current = pid; current > 1;)
        {
            if (current == ancestor)
            {
                return true;
            }
            var stat = $"/proc/{current}/stat";
            if (!File.Exists(stat))
            {
                return false;
            }
            // "pid (comm) state ppid ...": the name may hold spaces, so read after its closing parenthesis.
            var text = File.ReadAllText(stat);
            current = int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return false;
    }

    /// <summary>The provider that answered a completion (its response's <c>provider</c>).</summary>
    private static async Task<string?> ProviderOfAsync(HttpClient client, string body)
    {
        var response = await client.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        using var completion = JsonDocument.Parse(text);
        return completion.RootElement.GetProperty("provider").GetString();
    }

    [Fact]
    public async Task Failures_seen_through_one_replica_open_the_circuit_on_the_other_and_the_catalog_reports_it_with_its_reason()
    {
        var replicas = await fixture.GetReplicasAsync();
        var (_, _, secret) = await KeyAsync(5, new { name = "breaker" });
        var clients = await ClientsAsync(secret);
        // Qwen3 32B: DeepInfra is cheapest, Groq the fallback; sort by price keeps DeepInfra first while its circuit is closed.
        const string body = """{"model":"qwen/qwen3-32b","messages":[{"role":"user","content":"which provider"}],"provider":{"sort":"price"}}""";
        using var catalog = await TestAppHost.CreateCatalogAdminClientAsync(fixture.App);
        try
        {
            // Like every admin API, behind the catalog's service key.
            using (var anonymous = fixture.App.CreateHttpClient("catalog"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/catalog/open-circuits", Timeout)).StatusCode);
            }
            Assert.Equal("DeepInfra", await ProviderOfAsync(clients[1], body));

            // DeepInfra fails, seen through replica A only: three failures open A's circuit.
            await using (await EmulatedProviderSettings.ApplyAsync(fixture.App, "deepinfra", new { Fail = "503" }))
            {
                for (var i = 0; i < 3; i++)
                {
                    Assert.Equal("Groq", await ProviderOfAsync(clients[0], body));
                }
            }

            // The catalog's admin API (the System page's source) reads the shared circuit: which, why, until when, seen by A.
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
            JsonElement circuit;
            while (true)
            {
                using var open = JsonDocument.Parse(await catalog.GetStringAsync("/api/admin/catalog/open-circuits", Timeout));
                var found = open.RootElement.GetProperty("data").EnumerateArray()
                    .Where(entry => entry.GetProperty("model_id").GetString() == "qwen/qwen3-32b" && entry.GetProperty("provider").GetString() == "deepinfra")
                    .Select(entry => (JsonElement?)entry.Clone()).FirstOrDefault();
                if (found is { } entry)
                {
                    circuit = entry;
                    break;
                }
                Assert.True(DateTimeOffset.UtcNow < deadline, $"the open circuit was not shared: {open.RootElement}");
                await Task.Delay(100, Timeout);
            }
            output.WriteLine(circuit.ToString());
            Assert.Equal("HTTP 503", circuit.GetProperty("reason").GetString());
            // Named <host>-<pid> by the gateway process itself, which DCP may start under a launcher (the pid it reports).
            var instance = circuit.GetProperty("instance").GetString()!;
            var instancePid = int.Parse(instance[(instance.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsSameOrDescendant(instancePid, replicas[0].ProcessId), $"{instance} is not replica A ({replicas[0]})");
            Assert.False(IsSameOrDescendant(instancePid, replicas[1].ProcessId), $"{instance} is replica B ({replicas[1]})");
            var openedAt = circuit.GetProperty("opened_at").GetDateTimeOffset();
            Assert.Equal(TimeSpan.FromSeconds(30), circuit.GetProperty("open_until").GetDateTimeOffset() - openedAt);

            // DeepInfra answers again, and B never saw it fail; yet B asks Groq first, as A does, because A's opening
            // reached it (the message follows the hash write by a moment).
            await Task.Delay(300, Timeout);
            Assert.Equal("Groq", await ProviderOfAsync(clients[1], body));
            Assert.Equal("Groq", await ProviderOfAsync(clients[0], body));
        }
        finally
        {
            Array.ForEach(clients, client => client.Dispose());
        }
    }
}
