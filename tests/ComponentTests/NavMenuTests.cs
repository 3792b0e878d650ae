using Microsoft.AspNetCore.Components;
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
        Services.GetRequiredService<NavigationManager>().NavigateTo("models");

        var menu = Render<NavMenu>();

        Assert.Equal("Account/Manage", LinkNamed(menu, "ada@example.com").GetAttribute("href"));
        var logout = menu.Find("form[action='Account/Logout']");
        Console.Error.WriteLine(logout.OuterHtml);
        Assert.Equal("post", logout.GetAttribute("method"));
        Assert.Equal("models", logout.QuerySelector("input[name='ReturnUrl']")?.GetAttribute("value"));
        Assert.Equal("Logout", logout.QuerySelector("button[type='submit']")?.TextContent.Trim());
        Assert.DoesNotContain(menu.FindAll("a"), link => link.TextContent.Trim() is "Register" or "Login");
    }

    private static AngleSharp.Dom.IElement LinkNamed(IRenderedComponent<NavMenu> menu, string text) =>
        Assert.Single(menu.FindAll("a"), link => link.TextContent.Trim() == text);
}
