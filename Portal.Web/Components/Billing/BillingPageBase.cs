using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Web.Billing;

namespace Portal.Web.Components.Billing;

/// <summary>
/// Base of the pages that show the signed-in user's billing data. The user id always comes from the
/// authentication state (ClaimTypes.NameIdentifier), never from the URL or a form, and the billing account
/// is ensured first (idempotent), so users who signed up while billing was down still get one.
/// </summary>
public abstract class BillingPageBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    protected IBillingClient Billing { get; set; } = default!;

    /// <summary>The signed-in user's id, once <see cref="EnsureAccountAsync"/> has succeeded.</summary>
    protected string? UserId { get; private set; }

    /// <summary>Billing's message for the last failed call, shown on the page.</summary>
    protected string? Error { get; set; }

    /// <summary>Reads the user from the auth state and makes sure their billing account exists; false on failure (see <see cref="Error"/>).</summary>
    protected async Task<bool> EnsureAccountAsync()
    {
        if (UserId is not null)
        {
            return true;
        }
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } userId)
        {
            Error = "Your sign-in could not be read. Please sign in again.";
            return false;
        }
        var email = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "";
        try
        {
            await Billing.EnsureAccountAsync(userId, email);
            UserId = userId;
            return true;
        }
        catch (BillingException ex)
        {
            Error = ex.Message;
            return false;
        }
    }

    /// <summary>Runs a billing call, turning its failure into <see cref="Error"/>; true when it succeeded.</summary>
    protected async Task<bool> TryAsync(Func<string, Task> call)
    {
        if (UserId is null && !await EnsureAccountAsync())
        {
            return false;
        }
        try
        {
            await call(UserId!);
            Error = null;
            return true;
        }
        catch (BillingException ex)
        {
            Error = ex.Message;
            return false;
        }
    }

    /// <summary>USD with cents, and more digits only where usage needs them ($0.000125).</summary>
    public static string FormatUsd(decimal value)
        => value.ToString("$#,##0.00####;-$#,##0.00####", CultureInfo.InvariantCulture);

    public static string FormatDate(DateTimeOffset value)
        => value.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
