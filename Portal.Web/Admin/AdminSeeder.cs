using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Web.Data;

namespace Portal.Web.Admin;

/// <summary>
/// Runs after the portal's migrations, before it serves requests: makes sure the Admin role exists and that the
/// configured administrator exists (email confirmed) and holds it. Idempotent: an existing user is promoted, never
/// given a new password. The administrator's billing account is opened afterwards by <see cref="AdminAccountOpener"/>,
/// because billing may still be starting.
/// </summary>
public static partial class AdminSeeder
{
    public static async Task SeedAsync(PortalDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminSeeder));
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(PortalRoles.Admin))
        {
            Check(await roles.CreateAsync(new IdentityRole(PortalRoles.Admin)), "create the Admin role");
        }

        var options = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.Email))
        {
            LogNoAdministrator(logger);
            return;
        }
        var email = options.Email.Trim();
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            if (string.IsNullOrEmpty(options.Password))
            {
                throw new InvalidOperationException("Admin:Password is required to create the administrator " + email);
            }
            user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, options.Password), "create the administrator");
            LogCreated(logger, email);
        }
        else if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            Check(await users.UpdateAsync(user), "confirm the administrator's email");
        }
        if (!await users.IsInRoleAsync(user, PortalRoles.Admin))
        {
            Check(await users.AddToRoleAsync(user, PortalRoles.Admin), "make the user an administrator");
            LogPromoted(logger, email);
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(error => error.Description))}");
        }
    }

    [LoggerMessage(LogLevel.Warning, "No Admin:Email is configured, so no administrator was seeded")]
    private static partial void LogNoAdministrator(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Created the administrator {Email}")]
    private static partial void LogCreated(ILogger logger, string email);

    [LoggerMessage(LogLevel.Information, "Gave {Email} the Admin role")]
    private static partial void LogPromoted(ILogger logger, string email);
}
