using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Web.Admin;
using Portal.Web.Billing;

namespace Portal.Web.Components.Admin;

/// <summary>
/// Base of the admin pages (all <c>[Authorize(Roles = "Admin")]</c>): who the acting administrator is, for the
/// audit trails, and one place that turns a failed call into the page's error message.
/// </summary>
public abstract class AdminPageBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The signed-in administrator's user id.</summary>
    protected string AdminUserId { get; private set; } = "";

    protected string AdminEmail { get; private set; } = "";

    /// <summary>Who is acting, as the catalog's and billing's audit trails record it: email and user id.</summary>
    protected string Actor => $"{AdminEmail} ({AdminUserId})";

    /// <summary>The last failed call's message, shown on the page.</summary>
    protected string? Error { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        AdminUserId = user?.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        AdminEmail = user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name ?? "";
        await OnAdminInitializedAsync();
    }

    protected virtual Task OnAdminInitializedAsync() => Task.CompletedTask;

    /// <summary>Runs a call, turning a service failure into <see cref="Error"/>; true when it succeeded.</summary>
    protected async Task<bool> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            Error = null;
            return true;
        }
        catch (Exception ex) when (ex is AdminApiException or BillingException or UserAdministrationException)
        {
            Error = ex.Message;
            return false;
        }
    }

    public static string FormatUsd(decimal value) => Portal.Web.Components.Billing.BillingPageBase.FormatUsd(value);

    public static string FormatTime(DateTimeOffset value)
        => value.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
