using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Web.Billing;
using Portal.Web.Data;

namespace Portal.Web.Admin;

/// <summary>
/// Opens the seeded administrator's billing account, as sign-up does for everyone else. Billing may start after
/// the portal, so this retries in the background (every few seconds, for a few minutes) instead of holding up start.
/// </summary>
public sealed partial class AdminAccountOpener(
    IServiceScopeFactory scopes, IOptions<AdminOptions> options, ILogger<AdminAccountOpener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Email))
        {
            return;
        }
        var email = options.Value.Email.Trim();
        var deadline = DateTimeOffset.UtcNow + GiveUpAfter;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
                if (user is null)
                {
                    return;
                }
                await scope.ServiceProvider.GetRequiredService<IBillingClient>().EnsureAccountAsync(user.Id, email, stoppingToken);
                LogOpened(logger, email);
                return;
            }
            catch (BillingException ex) when (DateTimeOffset.UtcNow < deadline)
            {
                LogRetrying(logger, email, ex.Message);
            }
            catch (BillingException ex)
            {
                LogGaveUp(logger, ex, email);
                return;
            }
            await Task.Delay(RetryDelay, stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Information, "The administrator {Email} has a billing account")]
    private static partial void LogOpened(ILogger logger, string email);

    [LoggerMessage(LogLevel.Debug, "Billing is not ready to open {Email}'s account yet: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string email, string reason);

    [LoggerMessage(LogLevel.Warning, "Gave up opening the administrator {Email}'s billing account; billing pages will open it")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string email);
}
