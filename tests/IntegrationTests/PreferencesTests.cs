using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace IntegrationTests;

/// <summary>
/// Account-level provider preferences (billing stores them, the gateway merges them into each request): an
/// ignored provider is never used, <c>data_collection: deny</c> skips providers that keep prompts, a request's
/// own <c>provider</c> values win, a change applies within moments, <c>models/user</c> is filtered, and one
/// account's preferences never touch another's requests. Observed through the answers' <c>provider</c> field.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PreferencesTests(AppHostFixture fixture)
{
    // Prices per million tokens: DeepInfra 0.23 + 0.40 (cheapest), Groq 0.59 + 0.79, Together 0.88 + 0.88, Fireworks 0.90 + 0.90.
    private const string Llama = "meta-llama/llama-3.3-70b-instruct";
    // DeepInfra 0.38 + 0.89 (cheapest, keeps no data), DeepSeek 0.27 + 1.10 (trains on prompts), Together 1.25 + 1.25 (keeps no data).
    private const string DeepSeek = "deepseek/deepseek-chat";
    // Served only by OpenAI, which keeps prompts for 30 days.
    private const string GptMini = "openai/gpt-4o-mini";

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task An_ignored_provider_is_never_used_even_when_cheapest_and_other_accounts_are_untouched()
    {
        var (owner, key) = await CreateAccountAsync();
        var (_, otherKey) = await CreateAccountAsync();
        await SavePreferencesAsync(owner, "allow", "deepinfra");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Groq", await ProviderOfAsync(key, new { model = Llama, messages = Hello, provider = ByPrice }));
        }
        // The other account has no preferences: the cheapest provider as always.
        Assert.Equal("DeepInfra", await ProviderOfAsync(otherKey, new { model = Llama, messages = Hello, provider = ByPrice }));
        // A request cannot bring an ignored provider back by ordering it first.
        Assert.Equal("Groq", await ProviderOfAsync(key, new { model = Llama, messages = Hello, provider = new { order = new[] { "deepinfra" } } }));
    }

    [Fact]
    public async Task Data_collection_deny_skips_providers_that_keep_prompts()
    {
        var (owner, key) = await CreateAccountAsync();
        await SavePreferencesAsync(owner, "deny", "deepinfra");

        // DeepSeek (cheaper than Together) trains on prompts: skipped.
        Assert.Equal("Together", await ProviderOfAsync(key, new { model = DeepSeek, messages = Hello }));

        // Only OpenAI (30 days' retention) serves this model: nothing is left, and the answer says why.
        var client = ChatClientFor(GptMini, key);
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Timeout));
        Assert.Equal(404, refused.Status);
        Assert.Contains("data_collection", refused.Message);
    }

    [Fact]
    public async Task A_requests_own_preferences_override_the_accounts_and_ignore_lists_are_unioned()
    {
        var (owner, key) = await CreateAccountAsync();
        await SavePreferencesAsync(owner, "deny", "deepinfra");

        // The request allows data collection explicitly: OpenAI serves it.
        Assert.Equal("OpenAI", await ProviderOfAsync(key, new { model = GptMini, messages = Hello, provider = new { data_collection = "allow" } }));
        // The request's ignore adds to the account's: neither DeepInfra nor Groq.
        Assert.Equal("Together", await ProviderOfAsync(key, new { model = Llama, messages = Hello, provider = new { ignore = new[] { "groq" }, sort = "price" } }));
        // The account's deny applies where the request says nothing about data collection.
        Assert.Equal("Together", await ProviderOfAsync(key, new { model = DeepSeek, messages = Hello, provider = new { sort = "price" } }));
    }

    [Fact]
    public async Task A_change_takes_effect_within_moments_both_ways()
    {
        var (owner, key) = await CreateAccountAsync();
        // Cached by the gateway with the defaults first.
        Assert.Equal("DeepInfra", await ProviderOfAsync(key, new { model = Llama, messages = Hello, provider = ByPrice }));

        await SavePreferencesAsync(owner, "allow", "deepinfra");
        var took = await WaitForProviderAsync(key, Llama, "Groq");
        Assert.True(took < TimeSpan.FromSeconds(5), $"the change took {took}");

        await SavePreferencesAsync(owner, "allow");
        took = await WaitForProviderAsync(key, Llama, "DeepInfra");
        Assert.True(took < TimeSpan.FromSeconds(5), $"the change back took {took}");
    }

    [Fact]
    public async Task Models_user_lists_only_what_the_callers_preferences_can_reach()
    {
        var (owner, key) = await CreateAccountAsync();
        var (_, otherKey) = await CreateAccountAsync();
        await SavePreferencesAsync(owner, "deny", "together");

        var mine = await UserModelIdsAsync(key);
        var others = await UserModelIdsAsync(otherKey);
        var anonymous = await UserModelIdsAsync(null);

        Assert.DoesNotContain(GptMini, mine);
        Assert.Contains(DeepSeek, mine); // DeepInfra keeps no data and is not ignored.
        Assert.Contains(Llama, mine);
        Assert.True(mine.Count < others.Count);
        Assert.Contains(GptMini, others);
        Assert.Equal(anonymous, others);

        using var gateway = fixture.App.CreateHttpClient("gateway");
        gateway.DefaultRequestHeaders.Authorization = new("Bearer", "sk-or-v1-" + new string('0', 64));
        using var badKey = await gateway.GetAsync("/api/v1/models/user", Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
    }

    [Fact]
    public async Task Preferences_are_stored_normalised_and_validated_per_account()
    {
        var (owner, _) = await CreateAccountAsync();
        var (other, _) = await CreateAccountAsync();
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);

        using (var fresh = await billing.GetAsync($"/internal/accounts/{owner.UserId}/preferences", Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Equal("""{"data_collection":"allow","ignored_providers":[]}""", await fresh.Content.ReadAsStringAsync(Timeout));
        }
        await SavePreferencesAsync(owner, "DENY", "Groq", "groq", "deepinfra");
        using (var saved = await billing.GetAsync($"/internal/accounts/{owner.UserId}/preferences", Timeout))
        {
            Assert.Equal("""{"data_collection":"deny","ignored_providers":["deepinfra","groq"]}""", await saved.Content.ReadAsStringAsync(Timeout));
        }
        using (var untouched = await billing.GetAsync($"/internal/accounts/{other.UserId}/preferences", Timeout))
        {
            Assert.Equal("""{"data_collection":"allow","ignored_providers":[]}""", await untouched.Content.ReadAsStringAsync(Timeout));
        }

        using var invalid = await billing.PutAsJsonAsync($"/internal/accounts/{owner.UserId}/preferences",
            new { data_collection = "maybe", ignored_providers = Array.Empty<string>() }, Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using var unknown = await billing.PutAsJsonAsync("/internal/accounts/nobody-at-all/preferences",
            new { data_collection = "deny", ignored_providers = Array.Empty<string>() }, Timeout);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static readonly object[] Hello = [new { role = "user", content = "hello" }];

    // The default order draws its first provider by price; the expectations here need the cheapest one first.
    private static readonly object ByPrice = new { sort = "price" };

    private async Task<(TestAccount Owner, string Key)> CreateAccountAsync()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 10);
        return (owner, (await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "preferences")).Secret);
    }

    private async Task SavePreferencesAsync(TestAccount owner, string dataCollection, params string[] ignoredProviders)
    {
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        using var response = await billing.PutAsJsonAsync($"/internal/accounts/{owner.UserId}/preferences",
            new { data_collection = dataCollection, ignored_providers = ignoredProviders }, Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The provider named in the answer, sent with the SDK's protocol method (OpenRouter's extra fields).</summary>
    private async Task<string?> ProviderOfAsync(string key, object body)
    {
        var model = (string)body.GetType().GetProperty("model")!.GetValue(body)!;
        var result = await ChatClientFor(model, key).CompleteChatAsync(
            BinaryContent.Create(BinaryData.FromObjectAsJson(body)), new RequestOptions { CancellationToken = Timeout });
        using var json = JsonDocument.Parse(result.GetRawResponse().Content.ToMemory());
        return json.RootElement.GetProperty("provider").GetString();
    }

    private async Task<TimeSpan> WaitForProviderAsync(string key, string model, string provider)
    {
        var clock = Stopwatch.StartNew();
        while (await ProviderOfAsync(key, new { model, messages = Hello, provider = ByPrice }) != provider)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{provider} was not chosen within 10 s");
            await Task.Delay(100, Timeout);
        }
        return clock.Elapsed;
    }

    private async Task<List<string>> UserModelIdsAsync(string? key)
    {
        using var gateway = fixture.App.CreateHttpClient("gateway");
        if (key is not null)
        {
            gateway.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }
        using var response = await gateway.GetAsync("/api/v1/models/user", Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()!)];
    }

    private ChatClient ChatClientFor(string model, string key)
        => new(model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.App.GetEndpoint("gateway", "http"), "/api/v1"),
            NetworkTimeout = TestAppHost.RequestTimeout,
        });
}
