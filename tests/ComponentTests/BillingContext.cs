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

    /// <summary>The pages' clock: 15 March 2026, 12:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    protected static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    protected BillingContext()
    {
        Services.AddSingleton<IBillingClient>(Billing);
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));
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

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
