using System.Net;
using System.Text.Json;

namespace EndToEndTests;

/// <summary>
/// API keys from the portal, end to end: sign-up creates the billing account, the keys page creates a key whose
/// secret is shown once, the gateway accepts it, and deleting it in the portal revokes it at the gateway.
/// </summary>
public sealed class KeysTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly TimeSpan RevocationTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task New_user_creates_a_key_sees_its_secret_once_uses_it_and_deletes_it()
    {
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        // The billing account exists from sign-up: credits show a zero balance (buying credits: CreditsTests).
        await Page.GotoAsync("/credits");
        await Expect(Page.Locator(".credit-balance .amount")).ToHaveTextAsync("$0.00");

        await Page.GotoAsync("/keys");
        await Expect(Page.GetByText("No API keys yet")).ToBeVisibleAsync();
        var name = $"e2e app {Guid.NewGuid():N}"[..16];
        var secret = await CreateKeyOnKeysPageAsync(name);

        await Expect(Page.GetByText(secret)).ToHaveCountAsync(1);
        var row = KeyRow(name);
        await Expect(row).ToBeVisibleAsync();
        var label = (await row.Locator(".key-label").TextContentAsync())?.Trim();
        Assert.Equal($"sk-or-v1-{secret[9..12]}...{secret[^3..]}", label);

        // Reloading never shows the secret again: only the list, with its label.
        await Page.ReloadAsync();
        await Expect(KeyRow(name)).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await Page.ContentAsync());

        using var gateway = GatewayClient(secret);
        using (var response = await gateway.GetAsync("/api/v1/key", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(label, json.RootElement.GetProperty("data").GetProperty("label").GetString());
            Assert.False(json.RootElement.GetProperty("data").GetProperty("is_provisioning_key").GetBoolean());
        }

        await KeyRow(name).GetByRole(AriaRole.Button, new() { Name = $"Delete key {name}" }).ClickAsync();
        var confirmation = Page.Locator(".mud-dialog");
        await Expect(confirmation).ToContainTextAsync("Delete API key?");
        await confirmation.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(KeyRow(name)).ToHaveCountAsync(0);
        await Expect(Page.GetByText("No API keys yet")).ToBeVisibleAsync();

        // Revocation reaches the gateway through Redis pub/sub within a second; allow a busy machine some slack.
        var deadline = DateTime.UtcNow + RevocationTimeout;
        HttpStatusCode status;
        do
        {
            using var response = await gateway.GetAsync("/api/v1/key", TestContext.Current.CancellationToken);
            status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                break;
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task One_users_keys_page_never_shows_another_users_keys()
    {
        var alice = UniqueEmail();
        await RegisterAsync(alice, Password);
        await Expect(SignedInAs(alice)).ToBeVisibleAsync();
        var alicesKey = $"alice {Guid.NewGuid():N}"[..16];
        await CreateKeyOnKeysPageAsync(alicesKey);
        await Expect(KeyRow(alicesKey)).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await SignOutAsync();

        var bob = UniqueEmail();
        await RegisterAsync(bob, Password);
        await Expect(SignedInAs(bob)).ToBeVisibleAsync();
        await Page.GotoAsync("/keys");

        await Expect(Page.GetByText("No API keys yet")).ToBeVisibleAsync();
        await Expect(Page.GetByText(alicesKey)).ToHaveCountAsync(0);
    }

    private ILocator KeyRow(string name) => Page.Locator("tbody tr", new() { HasText = name });
}
