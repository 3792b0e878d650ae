using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Layout;

namespace ComponentTests;

public sealed class NavMenuTests : PortalContext
{
    [Fact]
    public void Anonymous_visitor_gets_register_and_login_links()
    {
        var menu = Render<NavMenu>();

        Assert.Equal("Account/Register", LinkNamed(menu, "Register").GetAttribute("href"));
        Assert.Equal("Account/Login", LinkNamed(menu, "Login").GetAttribute("href"));
        Assert.Empty(menu.FindAll("form[action='Account/Logout']"));
    }

    [Fact]
    public void Signed_in_user_sees_their_email_and_a_logout_form_that_returns_to_the_current_page()
    {
        Authorization.SetAuthorized("ada@example.com");
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgeryStateProvider("request-token"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("models");

        var menu = Render<NavMenu>();

        Assert.Equal("Account/Manage", LinkNamed(menu, "ada@example.com").GetAttribute("href"));
        var logout = menu.Find("form[action='Account/Logout']");
        Assert.Equal("post", logout.GetAttribute("method"));
        // The logout endpoint validates antiforgery, so without the token field the button would fail.
        Assert.Equal("request-token", logout.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value"));
        Assert.Equal("models", logout.QuerySelector("input[name='ReturnUrl']")?.GetAttribute("value"));
        Assert.Equal("Logout", logout.QuerySelector("button[type='submit']")?.TextContent.Trim());
        Assert.DoesNotContain(menu.FindAll("a"), link => link.TextContent.Trim() is "Register" or "Login");
    }

    private static AngleSharp.Dom.IElement LinkNamed(IRenderedComponent<NavMenu> menu, string text) =>
        Assert.Single(menu.FindAll("a"), link => link.TextContent.Trim() == text);

    private sealed class FixedAntiforgeryStateProvider(string token) : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new(token, "__RequestVerificationToken");
    }
}
