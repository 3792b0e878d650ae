using System.Text.RegularExpressions;

namespace EndToEndTests;

/// <summary>
/// The playground end to end: a user with credits creates a key, pastes it into the playground, chats with an
/// emulated model through the gateway and sees the streamed reply with its tokens and cost.
/// </summary>
public sealed class PlaygroundTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task User_with_credits_chats_in_the_playground_with_their_own_key()
    {
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        // Credits through the Stripe emulator's pay page, as CreditsTests buys them, and a key shown once.
        await BuyTenDollarsOfCreditsAsync();
        var secret = await CreateKeyOnKeysPageAsync("playground");

        // The navigation leads to the playground.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Playground" }).ClickAsync();
        await Page.WaitForURLAsync(new Regex("/playground$"));
        await Page.Locator(".playground-key input").FillAsync(secret);
        await Page.Locator(".use-key").ClickAsync();
        await Expect(Page.Locator(".active-key")).ToContainTextAsync("playground");

        // An emulated model, picked by typing in the model picker.
        var picker = Page.Locator(".model-picker input");
        await picker.ClickAsync();
        await picker.FillAsync("deepseek-chat");
        await Page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "deepseek/deepseek-chat" }).First.ClickAsync();
        await Expect(picker).ToHaveValueAsync("deepseek/deepseek-chat");

        await Page.Locator(".prompt-input textarea").FillAsync("Hello from the playground");
        await Page.Locator(".send").ClickAsync();

        var reply = Page.Locator(".chat-message.assistant");
        await Expect(reply.Locator(".message-content")).Not.ToBeEmptyAsync();
        await Expect(reply.Locator(".reply-cost")).ToHaveTextAsync(new Regex(@"^\$0\.\d+$"));
        await Expect(reply.Locator(".reply-model")).ToHaveTextAsync("deepseek/deepseek-chat");
        await Expect(reply.Locator(".reply-provider")).Not.ToBeEmptyAsync();
        var completionTokens = int.Parse((await reply.Locator(".completion-tokens").TextContentAsync())!.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(completionTokens > 0);
        Assert.DoesNotContain(secret, await Page.ContentAsync());
    }
}
