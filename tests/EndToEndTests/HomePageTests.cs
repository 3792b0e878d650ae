namespace EndToEndTests;

public sealed class HomePageTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task Home_page_loads_through_the_gateway_with_its_title_and_heading()
    {
        var response = await Page.GotoAsync("/");

        Assert.Equal(200, response?.Status);
        await Expect(Page).ToHaveTitleAsync("OpenRouterClone");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "One API for every model", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Sign up" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Curl_sample_points_at_the_gateway_not_the_portal_behind_it()
    {
        await Page.GotoAsync("/");

        // The portal only learns the public origin from the gateway's X-Forwarded-* headers.
        var chatCompletions = new Uri(Gateway, "api/v1/chat/completions");
        await Expect(Page.Locator("pre code")).ToContainTextAsync($"curl {chatCompletions} \\");
    }

    [Fact]
    public async Task Interactive_server_circuit_connects_through_the_gateway()
    {
        // The layout's MudBlazor providers are interactive: the page opens a SignalR WebSocket that YARP must carry.
        var firstFrame = new TaskCompletionSource<(string Url, string? Text)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => firstFrame.TrySetResult((socket.Url, frame.Text));

        await Page.GotoAsync("/");
        var (url, text) = await firstFrame.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal("/_blazor", new Uri(url).AbsolutePath);
        // SignalR answers a successful handshake with an empty JSON object and its record separator.
        Assert.Equal("{}\u001e", text);
    }
}
