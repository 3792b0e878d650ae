using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEndTests;

/// <summary>
/// Provider preferences end to end: a user saves "deny data collection" and an ignored provider on
/// /settings/preferences, the page shows them again after a reload, and the gateway honours them for calls made
/// with the user's key (routing and <c>models/user</c>).
/// </summary>
public sealed class PreferencesTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    // Seeded prices per million tokens: DeepInfra 0.23 + 0.40 (cheapest), Groq 0.59 + 0.79 (keeps no data), Together 0.88 + 0.88.
    private const string Llama = "meta-llama/llama-3.3-70b-instruct";
    // Served only by OpenAI, which keeps prompts for 30 days: out of reach once data collection is denied.
    private const string GptMini = "openai/gpt-4o-mini";

    // Billing tells the gateway within a second; a busy 2-core machine gets some slack.
    private static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Saved_preferences_survive_a_reload_and_steer_the_gateway()
    {
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
        await BuyTenDollarsOfCreditsAsync();
        var secret = await CreateKeyOnKeysPageAsync("preferences");
        using var gateway = GatewayClient(secret);

        // Before: the cheapest provider serves Llama, and OpenAI-only models are listed.
        Assert.Equal("DeepInfra", await ProviderOfAsync(gateway, Llama));
        Assert.Contains(GptMini, await UserModelIdsAsync(gateway));

        await Page.GotoAsync("/settings/preferences");
        var deny = Page.GetByLabel("Deny data collection");
        await Expect(deny).Not.ToBeCheckedAsync();
        await deny.CheckAsync();
        await ChooseIgnoredProviderAsync("DeepInfra");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save preferences", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("Your provider preferences are saved.")).ToBeVisibleAsync();

        // The page reads them back from billing, not from the circuit's memory.
        await Page.ReloadAsync();
        await Expect(Page.GetByLabel("Deny data collection")).ToBeCheckedAsync();
        await Expect(IgnoredProviders).ToHaveValueAsync("DeepInfra");

        // The gateway: DeepInfra is never chosen again, the next cheapest that keeps no data is.
        var clock = Stopwatch.StartNew();
        string? provider;
        while ((provider = await ProviderOfAsync(gateway, Llama)) == "DeepInfra" && clock.Elapsed < PropagationTimeout)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        Assert.Equal("Groq", provider);
        Assert.DoesNotContain(GptMini, await UserModelIdsAsync(gateway));
        Assert.Contains(Llama, await UserModelIdsAsync(gateway));
    }

    /// <summary>The select's text box, which shows the chosen providers by name.</summary>
    private ILocator IgnoredProviders => Page.Locator(".ignored-providers input").First;

    /// <summary>Opens the multi-select, ticks <paramref name="name"/> and closes the list again.</summary>
    private async Task ChooseIgnoredProviderAsync(string name)
    {
        var select = Page.Locator(".ignored-providers .mud-select-input").First;
        var item = Page.Locator(".mud-popover-open .mud-list-item", new() { HasText = name }).First;
        await ClickUntilAsync(select, () => Expect(item).ToBeVisibleAsync(new() { Timeout = 5_000 }));
        await item.ClickAsync();
        // A multi-select stays open; a click outside it (on the overlay over the page) closes it.
        await Page.GetByRole(AriaRole.Heading, new() { Name = "Provider preferences" }).ClickAsync(new() { Force = true });
        await Expect(Page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await Expect(IgnoredProviders).ToHaveValueAsync(name);
    }

    /// <summary>The provider the gateway names in its answer; sorted by price so the choice is deterministic.</summary>
    private static async Task<string?> ProviderOfAsync(HttpClient gateway, string model)
    {
        using var response = await gateway.PostAsJsonAsync("/api/v1/chat/completions", new
        {
            model,
            messages = new[] { new { role = "user", content = "hello" } },
            max_tokens = 16,
            provider = new { sort = "price" },
        }, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("provider").GetString();
    }

    private static async Task<List<string>> UserModelIdsAsync(HttpClient gateway)
    {
        using var response = await gateway.GetAsync("/api/v1/models/user", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()!)];
    }
}
