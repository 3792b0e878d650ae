using Portal.Web.Components.Layout;

namespace ComponentTests;

public sealed class MainLayoutTests : PortalContext
{
    [Fact]
    public void Page_body_renders_inside_the_shell_with_the_brand_and_navigation()
    {
        var layout = RenderLayoutAround("<p id=\"page-body\">Page content</p>");

        Assert.Equal("Page content", layout.Find(".mud-main-content #page-body").TextContent);
        Assert.Contains(layout.FindAll("header a"), link => link.TextContent.Trim() == "OpenRouterClone");
        Assert.Contains(layout.FindAll("nav a"), link => link.TextContent.Trim() == "Login");
    }

    [Fact]
    public void Page_body_is_inside_the_one_main_landmark()
    {
        var layout = RenderLayoutAround("<p id=\"page-body\">Page content</p>");

        // Exactly one, so a screen reader's "jump to main" lands on the page's content and not on the navigation.
        var main = Assert.Single(layout.FindAll("main, [role=main]"));
        Assert.NotNull(main.QuerySelector("#page-body"));
        Assert.Null(main.QuerySelector("nav"));
    }

    [Fact]
    public void Signed_in_user_sees_their_email_and_logout_in_the_navigation()
    {
        Authorization.SetAuthorized("ada@example.com");

        var layout = RenderLayoutAround("<p>Page content</p>");

        Assert.Contains(layout.FindAll("nav a"), link => link.TextContent.Trim() == "ada@example.com");
        Assert.Contains(layout.FindAll("nav button"), button => button.TextContent.Trim() == "Logout");
        Assert.DoesNotContain(layout.FindAll("nav a"), link => link.TextContent.Trim() == "Login");
    }

    private IRenderedComponent<MainLayout> RenderLayoutAround(string pageMarkup) =>
        Render<MainLayout>(parameters => parameters.Add(layout => layout.Body, pageMarkup));
}
