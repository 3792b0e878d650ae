using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ComponentTests;

/// <summary>A bUnit context with what every portal component needs: MudBlazor services and auth state.</summary>
public abstract class PortalContext : BunitContext
{
    protected PortalContext()
    {
        Services.AddMudServices();
        // MudBlazor components call into their own JS (focus, resize, popovers); none of it matters here.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Authorization = AddAuthorization();
    }

    protected BunitAuthorizationContext Authorization { get; }
}
