using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Web.Billing;

namespace ComponentTests;

/// <summary>A portal context with a signed-in user and an in-memory billing service behind <see cref="IBillingClient"/>.</summary>
public abstract class BillingContext : PortalContext
{
    protected const string UserId = "user-ada";
    protected const string Email = "ada@example.com";

    protected BillingContext()
    {
        Services.AddSingleton<IBillingClient>(Billing);
        Authorization.SetAuthorized(Email);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId), new Claim(ClaimTypes.Email, Email));
    }

    protected FakeBillingClient Billing { get; } = new();

    /// <summary>Dialogs and popovers render in the layout's providers, so tests render them beside the page.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    protected static AngleSharp.Dom.IElement ButtonNamed<T>(IRenderedComponent<T> component, string text)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        Assert.Single(component.FindAll("button"), button => button.TextContent.Trim() == text);
}
