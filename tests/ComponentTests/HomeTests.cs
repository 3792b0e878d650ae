using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class HomeTests : PortalContext
{
    [Fact]
    public void Anonymous_visitor_is_offered_sign_up_and_sign_in()
    {
        var home = Render<Home>();

        Assert.Equal("One API for every model", home.Find("h1").TextContent.Trim());
        Assert.Equal("Account/Register", LinkNamed(home, "Sign up").GetAttribute("href"));
        Assert.Equal("Account/Login", LinkNamed(home, "Sign in").GetAttribute("href"));
        Assert.DoesNotContain("Create an API key", home.Markup);
        Assert.DoesNotContain("Buy credits", home.Markup);
    }

    [Fact]
    public void Signed_in_user_is_offered_api_keys_and_credits_instead_of_sign_up()
    {
        Authorization.SetAuthorized("ada@example.com");

        var home = Render<Home>();

        Assert.Equal("keys", LinkNamed(home, "Create an API key").GetAttribute("href"));
        Assert.Equal("credits", LinkNamed(home, "Buy credits").GetAttribute("href"));
        Assert.DoesNotContain("Sign up", home.Markup);
        Assert.DoesNotContain("Sign in", home.Markup);
    }

    [Fact]
    public void Curl_sample_calls_chat_completions_at_the_origin_the_page_was_served_from()
    {
        // The gateway's public origin, not the test renderer's default http://localhost/.
        Services.AddSingleton<NavigationManager>(new FixedOriginNavigationManager("https://router.example.com/"));

        var home = Render<Home>();

        var sample = home.Find("pre code").TextContent;
        Assert.StartsWith("curl https://router.example.com/api/v1/chat/completions \\", sample);
        Assert.Contains("\"model\": \"openai/gpt-4o-mini\"", sample);
    }

    private static AngleSharp.Dom.IElement LinkNamed(IRenderedComponent<Home> home, string text) =>
        Assert.Single(home.FindAll("a"), link => link.TextContent.Trim() == text);

    private sealed class FixedOriginNavigationManager : NavigationManager
    {
        public FixedOriginNavigationManager(string baseUri) => Initialize(baseUri, baseUri);

        protected override void NavigateToCore(string uri, NavigationOptions options) => Uri = ToAbsoluteUri(uri).AbsoluteUri;
    }
}
