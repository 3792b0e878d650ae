using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace IntegrationTests;

/// <summary>
/// The catalog's OpenRouter-format read API through the gateway, and its admin API (called on the catalog
/// directly, with the admin key the AppHost generated) publishing versioned snapshots to Redis.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class CatalogTests(AppHostFixture fixture)
{
    private const string AdminBase = "/api/admin/catalog";

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task A_model_in_the_list_matches_OpenRouters_shape_field_by_field()
    {
        using var gateway = fixture.CreateGatewayClient();

        using var document = await GetJsonAsync(gateway, "/api/v1/models");
        var gpt4o = document.RootElement.GetProperty("data").EnumerateArray()
            .Single(model => model.GetProperty("id").GetString() == "openai/gpt-4o");

        Assert.Equal(
            ["id", "canonical_slug", "hugging_face_id", "name", "created", "description", "context_length", "architecture",
             "pricing", "top_provider", "per_request_limits", "supported_parameters"],
            Names(gpt4o));
        Assert.Equal("openai/gpt-4o", gpt4o.GetProperty("canonical_slug").GetString());
        Assert.Equal("", gpt4o.GetProperty("hugging_face_id").GetString());
        Assert.Equal("OpenAI: GPT-4o", gpt4o.GetProperty("name").GetString());
        Assert.Equal(1715558400, gpt4o.GetProperty("created").GetInt64());
        Assert.False(string.IsNullOrEmpty(gpt4o.GetProperty("description").GetString()));
        Assert.Equal(128_000, gpt4o.GetProperty("context_length").GetInt32());

        var architecture = gpt4o.GetProperty("architecture");
        Assert.Equal(["modality", "input_modalities", "output_modalities", "tokenizer", "instruct_type"], Names(architecture));
        Assert.Equal("text+image->text", architecture.GetProperty("modality").GetString());
        Assert.Equal(["text", "image"], Strings(architecture.GetProperty("input_modalities")));
        Assert.Equal(["text"], Strings(architecture.GetProperty("output_modalities")));
        Assert.Equal("GPT", architecture.GetProperty("tokenizer").GetString());
        Assert.Equal(JsonValueKind.Null, architecture.GetProperty("instruct_type").ValueKind);

        var pricing = gpt4o.GetProperty("pricing");
        Assert.Equal(["prompt", "completion", "request", "image", "internal_reasoning", "input_cache_read"], Names(pricing));
        Assert.Equal("0.0000025", pricing.GetProperty("prompt").GetString());
        Assert.Equal("0.00001", pricing.GetProperty("completion").GetString());
        Assert.Equal("0", pricing.GetProperty("request").GetString());
        Assert.Equal("0.003613", pricing.GetProperty("image").GetString());
        Assert.Equal("0", pricing.GetProperty("internal_reasoning").GetString());
        Assert.Equal("0.00000125", pricing.GetProperty("input_cache_read").GetString());

        var top = gpt4o.GetProperty("top_provider");
        Assert.Equal(["context_length", "max_completion_tokens", "is_moderated"], Names(top));
        Assert.Equal(128_000, top.GetProperty("context_length").GetInt32());
        Assert.Equal(16_384, top.GetProperty("max_completion_tokens").GetInt32());
        Assert.True(top.GetProperty("is_moderated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, gpt4o.GetProperty("per_request_limits").ValueKind);
        Assert.Contains("tools", Strings(gpt4o.GetProperty("supported_parameters")));
        Assert.Contains("response_format", Strings(gpt4o.GetProperty("supported_parameters")));
    }

    [Fact]
    public async Task The_seeded_catalog_lists_over_forty_text_models_and_free_variants_at_price_zero()
    {
        using var gateway = fixture.CreateGatewayClient();

        using var document = await GetJsonAsync(gateway, "/api/v1/models");
        var models = document.RootElement.GetProperty("data").EnumerateArray().ToList();

        Assert.True(models.Count >= 40, $"{models.Count} models");
        Assert.All(models, model => Assert.Contains("text", Strings(model.GetProperty("architecture").GetProperty("output_modalities"))));
        var free = models.Single(model => model.GetProperty("id").GetString() == "deepseek/deepseek-r1:free");
        Assert.Equal("0", free.GetProperty("pricing").GetProperty("prompt").GetString());
        Assert.Equal("0", free.GetProperty("pricing").GetProperty("completion").GetString());
        Assert.Equal("deepseek/deepseek-r1", free.GetProperty("canonical_slug").GetString());
        var ids = models.Select(model => model.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Filters_select_by_output_modality_supported_parameters_and_category()
    {
        using var gateway = fixture.CreateGatewayClient();

        var text = await IdsAsync(gateway, "/api/v1/models");
        var embeddings = await IdsAsync(gateway, "/api/v1/models?output_modalities=embeddings");
        var all = await IdsAsync(gateway, "/api/v1/models?output_modalities=all");
        var reasoningTools = await IdsAsync(gateway, "/api/v1/models?supported_parameters=tools,reasoning");
        var programming = await IdsAsync(gateway, "/api/v1/models?category=programming");

        Assert.Contains("openai/text-embedding-3-small", embeddings);
        Assert.Contains("openai/text-embedding-3-large", embeddings);
        Assert.DoesNotContain("openai/text-embedding-3-small", text);
        Assert.Equal(text.Count + embeddings.Count, all.Count);
        Assert.Contains("anthropic/claude-sonnet-4", reasoningTools);
        Assert.DoesNotContain("openai/gpt-4o", reasoningTools);
        Assert.True(reasoningTools.Count < text.Count);
        Assert.Contains("mistralai/codestral-2501", programming);
        Assert.DoesNotContain("mistralai/mistral-nemo", programming);
    }

    [Fact]
    public async Task Count_and_user_models_agree_with_the_list()
    {
        using var gateway = fixture.CreateGatewayClient();

        var listed = await IdsAsync(gateway, "/api/v1/models");
        var forUser = await IdsAsync(gateway, "/api/v1/models/user");
        using var count = await GetJsonAsync(gateway, "/api/v1/models/count");
        using var allCount = await GetJsonAsync(gateway, "/api/v1/models/count?output_modalities=all");

        Assert.Equal(["data"], Names(count.RootElement));
        Assert.Equal(["count"], Names(count.RootElement.GetProperty("data")));
        Assert.Equal(listed.Count, count.RootElement.GetProperty("data").GetProperty("count").GetInt32());
        Assert.True(allCount.RootElement.GetProperty("data").GetProperty("count").GetInt32() > listed.Count);
        Assert.Equal(listed, forUser);
    }

    [Fact]
    public async Task Endpoints_of_a_multi_provider_model_come_in_OpenRouters_shape_cheapest_first()
    {
        using var gateway = fixture.CreateGatewayClient();

        using var document = await GetJsonAsync(gateway, "/api/v1/models/deepseek/deepseek-chat/endpoints");
        var data = document.RootElement.GetProperty("data");

        Assert.Equal(["id", "name", "created", "description", "architecture", "endpoints"], Names(data));
        Assert.Equal("deepseek/deepseek-chat", data.GetProperty("id").GetString());
        Assert.Equal("DeepSeek: DeepSeek V3", data.GetProperty("name").GetString());
        Assert.Equal(1735171200, data.GetProperty("created").GetInt64());
        Assert.Equal("text->text", data.GetProperty("architecture").GetProperty("modality").GetString());
        Assert.Equal("DeepSeek", data.GetProperty("architecture").GetProperty("tokenizer").GetString());

        var endpoints = data.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal(["DeepInfra", "DeepSeek", "Together"], endpoints.Select(endpoint => endpoint.GetProperty("provider_name").GetString()));
        Assert.All(endpoints, endpoint => Assert.Equal(
            ["name", "model_id", "model_name", "context_length", "pricing", "provider_name", "tag", "quantization",
             "max_completion_tokens", "max_prompt_tokens", "supported_parameters", "status", "uptime_last_30m", "uptime_last_1d",
             "supports_implicit_caching", "latency_last_30m", "throughput_last_30m"],
            Names(endpoint)));

        var deepinfra = endpoints[0];
        Assert.Equal("DeepInfra | deepseek/deepseek-chat", deepinfra.GetProperty("name").GetString());
        Assert.Equal("deepseek/deepseek-chat-v3", deepinfra.GetProperty("model_id").GetString());
        Assert.Equal("DeepSeek: DeepSeek V3", deepinfra.GetProperty("model_name").GetString());
        Assert.Equal(163_840, deepinfra.GetProperty("context_length").GetInt32());
        Assert.Equal("deepinfra/fp8", deepinfra.GetProperty("tag").GetString());
        Assert.Equal("fp8", deepinfra.GetProperty("quantization").GetString());
        Assert.Equal(163_840, deepinfra.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(JsonValueKind.Null, deepinfra.GetProperty("max_prompt_tokens").ValueKind);
        Assert.Equal(0, deepinfra.GetProperty("status").GetInt32());
        // Live stats are null until the gateway has served the endpoint; other tests on this shared system may have.
        AssertNullOrInRange(deepinfra.GetProperty("uptime_last_30m"), 0, 100);
        AssertNullOrPercentiles(deepinfra.GetProperty("latency_last_30m"));
        AssertNullOrPercentiles(deepinfra.GetProperty("throughput_last_30m"));
        var pricing = deepinfra.GetProperty("pricing");
        Assert.Equal(["prompt", "completion", "request", "image", "internal_reasoning", "discount"], Names(pricing));
        Assert.Equal("0.00000038", pricing.GetProperty("prompt").GetString());
        Assert.Equal("0.00000089", pricing.GetProperty("completion").GetString());
        Assert.Equal(0, pricing.GetProperty("discount").GetDecimal());

        var deepseek = endpoints[1];
        Assert.Equal("deepseek", deepseek.GetProperty("tag").GetString());
        Assert.Equal("unknown", deepseek.GetProperty("quantization").GetString());
        Assert.Equal(65_536, deepseek.GetProperty("context_length").GetInt32());
        Assert.True(deepseek.GetProperty("supports_implicit_caching").GetBoolean());
        Assert.Equal("0.00000007", deepseek.GetProperty("pricing").GetProperty("input_cache_read").GetString());
        Assert.Equal("0.00000125", endpoints[2].GetProperty("pricing").GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task Endpoints_of_a_free_variant_are_priced_zero()
    {
        using var gateway = fixture.CreateGatewayClient();

        using var document = await GetJsonAsync(gateway, "/api/v1/models/deepseek/deepseek-r1:free/endpoints");

        var endpoint = Assert.Single(document.RootElement.GetProperty("data").GetProperty("endpoints").EnumerateArray());
        Assert.Equal("Chutes", endpoint.GetProperty("provider_name").GetString());
        Assert.Equal("0", endpoint.GetProperty("pricing").GetProperty("prompt").GetString());
        Assert.Equal("0", endpoint.GetProperty("pricing").GetProperty("completion").GetString());
    }

    [Fact]
    public async Task An_unknown_model_has_no_endpoints_and_gets_a_404_in_OpenRouter_error_format()
    {
        using var gateway = fixture.CreateGatewayClient();

        var response = await gateway.GetAsync("/api/v1/models/nobody/no-such-model/endpoints", Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(["error"], Names(error.RootElement));
        Assert.Equal(404, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("nobody/no-such-model", error.RootElement.GetProperty("error").GetProperty("message").GetString());

        // Paths the catalog does not serve answer in the same format.
        var unknownPath = await gateway.GetAsync("/api/v1/models/openai/gpt-4o", Timeout);
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
        using var unknownPathError = JsonDocument.Parse(await unknownPath.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(404, unknownPathError.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Providers_come_in_OpenRouters_shape()
    {
        using var gateway = fixture.CreateGatewayClient();

        using var document = await GetJsonAsync(gateway, "/api/v1/providers");
        var providers = document.RootElement.GetProperty("data").EnumerateArray().ToList();

        Assert.True(providers.Count >= 8);
        Assert.All(providers, provider => Assert.Equal(
            ["name", "slug", "privacy_policy_url", "terms_of_service_url", "status_page_url", "headquarters", "datacenters"],
            Names(provider)));
        var openai = providers.Single(provider => provider.GetProperty("slug").GetString() == "openai");
        Assert.Equal("OpenAI", openai.GetProperty("name").GetString());
        Assert.Equal("https://openai.com/policies/privacy-policy/", openai.GetProperty("privacy_policy_url").GetString());
        Assert.Equal("https://openai.com/policies/row-terms-of-use/", openai.GetProperty("terms_of_service_url").GetString());
        Assert.Equal("https://status.openai.com/", openai.GetProperty("status_page_url").GetString());
        Assert.Equal("US", openai.GetProperty("headquarters").GetString());
    }

    [Fact]
    public async Task The_admin_api_refuses_callers_without_the_admin_key_and_is_not_reachable_through_the_gateway()
    {
        using var catalog = fixture.App.CreateHttpClient("catalog");
        using var gateway = fixture.CreateGatewayClient();

        var missing = await catalog.GetAsync($"{AdminBase}/version", Timeout);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Put, $"{AdminBase}/providers/evil")
        {
            Content = JsonContent.Create(new { name = "Evil", base_url = "https://evil.example", wire_format = "OpenAIChat" }),
            Headers = { { "X-Admin-Key", "not-the-key" } },
        };
        var wrong = await catalog.SendAsync(wrongKey, Timeout);
        var throughGateway = await gateway.GetAsync($"{AdminBase}/version", Timeout);

        foreach (var response in new[] { missing, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
            Assert.Equal(401, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
        Assert.Equal(HttpStatusCode.NotFound, throughGateway.StatusCode);
        using var providers = await GetJsonAsync(gateway, "/api/v1/providers");
        Assert.DoesNotContain("evil", providers.RootElement.GetRawText());
    }

    [Fact]
    public async Task An_admin_price_change_bumps_the_version_reaches_the_models_api_and_the_redis_snapshot_with_a_notice()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var providerSlug = $"it-host-{suffix}";
        var modelPath = $"it-lab/price-test-{suffix}";
        using var catalog = await CreateAdminClientAsync($"integration-test-{suffix}");
        using var gateway = fixture.CreateGatewayClient();
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis", Timeout))!);

        // Create a provider, a model and its endpoint, so that no seeded price other tests read is touched.
        using var created = await SendAsync(catalog, HttpMethod.Put, $"{AdminBase}/providers/{providerSlug}",
            new { name = $"IT Host {suffix}", base_url = "https://it-host.example/v1", wire_format = "OpenAIChat", headquarters = "DE", zero_data_retention = true },
            HttpStatusCode.Created);
        var providerVersion = created.RootElement.GetProperty("version").GetInt64();
        using var modelCreated = await SendAsync(catalog, HttpMethod.Put, $"{AdminBase}/models/{modelPath}",
            new { name = "IT Lab: Price Test", context_length = 32_768, categories = new[] { "programming" } }, HttpStatusCode.Created);
        using var endpointCreated = await SendAsync(catalog, HttpMethod.Put, $"{AdminBase}/models/{modelPath}/endpoints/{providerSlug}",
            new { upstream_model_name = "price-test", pricing = new { prompt = "0.000001", completion = "0.000002" }, quantization = "fp8" },
            HttpStatusCode.Created);
        var before = endpointCreated.RootElement.GetProperty("version").GetInt64();
        Assert.True(before >= providerVersion + 2, $"versions {providerVersion} then {before}");
        Assert.Equal("0.000001", await ListedPromptPriceAsync(gateway, modelPath));

        // Listen before changing: the catalog announces the new version on catalog:changed.
        var notices = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("catalog:changed"));
        try
        {
            using var changed = await SendAsync(catalog, HttpMethod.Patch, $"{AdminBase}/models/{modelPath}/endpoints/{providerSlug}/pricing",
                new { prompt = 0.0000015m, completion = "0.0000035", input_cache_read = "0.0000003" }, HttpStatusCode.OK);

            var version = changed.RootElement.GetProperty("version").GetInt64();
            Assert.Equal(before + 1, version);
            Assert.True(changed.RootElement.GetProperty("changed").GetBoolean());
            Assert.True(changed.RootElement.GetProperty("published").GetBoolean());
            Assert.Equal("0.0000015", changed.RootElement.GetProperty("data").GetProperty("pricing").GetProperty("prompt").GetString());

            using (var noticeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                ChannelMessage notice;
                do
                {
                    notice = await notices.ReadAsync(noticeTimeout.Token);
                }
                while ((long)notice.Message < version);
                Assert.Equal(version, (long)notice.Message);
            }

            var database = redis.GetDatabase();
            Assert.Equal(version, (long)await database.StringGetAsync("catalog:snapshot:version"));
            using var snapshot = JsonDocument.Parse((string)(await database.StringGetAsync("catalog:snapshot"))!);
            Assert.True(snapshot.RootElement.GetProperty("version").GetInt64() >= version);
            var model = snapshot.RootElement.GetProperty("models").EnumerateArray().Single(model => model.GetProperty("id").GetString() == modelPath);
            var endpoint = Assert.Single(model.GetProperty("endpoints").EnumerateArray());
            Assert.Equal(providerSlug, endpoint.GetProperty("provider").GetString());
            Assert.Equal("price-test", endpoint.GetProperty("upstream_model").GetString());
            Assert.Equal(0.0000015m, endpoint.GetProperty("pricing").GetProperty("prompt").GetDecimal());
            Assert.Equal(0.0000035m, endpoint.GetProperty("pricing").GetProperty("completion").GetDecimal());
            Assert.Equal(0.0000003m, endpoint.GetProperty("pricing").GetProperty("input_cache_read").GetDecimal());
            var provider = snapshot.RootElement.GetProperty("providers").EnumerateArray().Single(provider => provider.GetProperty("slug").GetString() == providerSlug);
            Assert.Equal("OpenAIChat", provider.GetProperty("wire_format").GetString());
            Assert.Equal("https://it-host.example/v1", provider.GetProperty("base_url").GetString());
            Assert.True(provider.GetProperty("zero_data_retention").GetBoolean());

            Assert.Equal("0.0000015", await ListedPromptPriceAsync(gateway, modelPath));
        }
        finally
        {
            await notices.UnsubscribeAsync();
        }

        // The same prices again change nothing: no new version.
        using (var unchanged = await SendAsync(catalog, HttpMethod.Patch, $"{AdminBase}/models/{modelPath}/endpoints/{providerSlug}/pricing",
            new { prompt = "0.0000015" }, HttpStatusCode.OK))
        {
            Assert.False(unchanged.RootElement.GetProperty("changed").GetBoolean());
            Assert.Equal(before + 1, unchanged.RootElement.GetProperty("version").GetInt64());
        }

        // The audit trail says who changed what.
        using (var changes = await SendAsync(catalog, HttpMethod.Get, $"{AdminBase}/changes?limit=10", null, HttpStatusCode.OK))
        {
            var priceChange = changes.RootElement.GetProperty("data").EnumerateArray()
                .First(change => change.GetProperty("version").GetInt64() == before + 1);
            Assert.Equal($"integration-test-{suffix}", priceChange.GetProperty("actor").GetString());
            Assert.Equal("endpoint", priceChange.GetProperty("entity_type").GetString());
            Assert.Equal($"{modelPath}@{providerSlug}", priceChange.GetProperty("entity_id").GetString());
            Assert.Equal("update", priceChange.GetProperty("action").GetString());
            Assert.Contains("PromptPrice: 0.000001 -> 0.0000015", priceChange.GetProperty("summary").GetString());
        }

        // Disabling its only endpoint takes the model out of the list and the snapshot; its endpoints list is empty.
        using (var disabled = await SendAsync(catalog, HttpMethod.Post, $"{AdminBase}/models/{modelPath}/endpoints/{providerSlug}/disable", null, HttpStatusCode.OK))
        {
            Assert.Equal(before + 2, disabled.RootElement.GetProperty("version").GetInt64());
            Assert.False(disabled.RootElement.GetProperty("data").GetProperty("is_enabled").GetBoolean());
            Assert.DoesNotContain(modelPath, await IdsAsync(gateway, "/api/v1/models"));
            using var endpoints = await GetJsonAsync(gateway, $"/api/v1/models/{modelPath}/endpoints");
            Assert.Empty(endpoints.RootElement.GetProperty("data").GetProperty("endpoints").EnumerateArray());
            var snapshot = (string)(await redis.GetDatabase().StringGetAsync("catalog:snapshot"))!;
            Assert.DoesNotContain(modelPath, snapshot);
        }

        // A disabled model is unknown to the public API.
        using (var disabled = await SendAsync(catalog, HttpMethod.Post, $"{AdminBase}/models/{modelPath}/disable", null, HttpStatusCode.OK))
        {
            Assert.Equal(before + 3, disabled.RootElement.GetProperty("version").GetInt64());
            var endpointsResponse = await gateway.GetAsync($"/api/v1/models/{modelPath}/endpoints", Timeout);
            Assert.Equal(HttpStatusCode.NotFound, endpointsResponse.StatusCode);
        }
    }

    [Fact]
    public async Task Admin_requests_with_invalid_input_are_refused_in_OpenRouter_error_format()
    {
        using var catalog = await CreateAdminClientAsync("integration-test");

        using var badPrice = await SendAsync(catalog, HttpMethod.Patch, $"{AdminBase}/models/openai/gpt-4o/endpoints/openai/pricing",
            new { prompt = "0.0000000000001" }, HttpStatusCode.BadRequest);
        using var unknownEndpoint = await SendAsync(catalog, HttpMethod.Patch, $"{AdminBase}/models/openai/gpt-4o/endpoints/nobody/pricing",
            new { prompt = "0.000001" }, HttpStatusCode.NotFound);
        using var incomplete = await SendAsync(catalog, HttpMethod.Put, $"{AdminBase}/providers/incomplete",
            new { name = "Incomplete" }, HttpStatusCode.BadRequest);
        using var malformed = new HttpRequestMessage(HttpMethod.Put, $"{AdminBase}/providers/malformed")
        {
            Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"),
        };
        var malformedResponse = await catalog.SendAsync(malformed, Timeout);

        Assert.Equal(400, badPrice.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(404, unknownEndpoint.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(400, incomplete.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, malformedResponse.StatusCode);
        using var malformedError = JsonDocument.Parse(await malformedResponse.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(400, malformedError.RootElement.GetProperty("error").GetProperty("code").GetInt32());

        using var gateway = fixture.CreateGatewayClient();
        Assert.Equal("0.0000025", await ListedPromptPriceAsync(gateway, "openai/gpt-4o"));
    }

    private Task<HttpClient> CreateAdminClientAsync(string actor) => TestAppHost.CreateCatalogAdminClientAsync(fixture.App, actor);

    private static async Task<JsonDocument> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await client.SendAsync(request, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text);
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string path)
    {
        using var document = await GetJsonAsync(client, path);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()!)];
    }

    private static async Task<string?> ListedPromptPriceAsync(HttpClient gateway, string modelId)
    {
        using var document = await GetJsonAsync(gateway, "/api/v1/models");
        return document.RootElement.GetProperty("data").EnumerateArray()
            .Single(model => model.GetProperty("id").GetString() == modelId)
            .GetProperty("pricing").GetProperty("prompt").GetString();
    }

    private static void AssertNullOrInRange(JsonElement value, double low, double high)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.InRange(value.GetDouble(), low, high);
    }

    /// <summary>Null, or OpenRouter's percentile object (p50, p75, ...) of non-negative numbers.</summary>
    private static void AssertNullOrPercentiles(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Assert.Equal(JsonValueKind.Object, value.ValueKind);
        Assert.Contains("p50", Names(value));
        Assert.All(value.EnumerateObject(), percentile => Assert.True(
            percentile.Value.ValueKind == JsonValueKind.Null || percentile.Value.GetDouble() >= 0, percentile.Name));
    }

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name)];

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString())];
}
