using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;

namespace Portal.Web.Admin;

/// <summary>A portal user as the administrators' user list shows it.</summary>
public sealed record AdminUser(string Id, string Email, bool EmailConfirmed, bool IsAdmin, DateTimeOffset? LockedUntil)
{
    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>Finding portal users and changing their lockout and Admin role.</summary>
public interface IUserAdministration
{
    /// <summary>Users whose email contains <paramref name="emailContains"/> (all when empty), by email, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AdminUser>> SearchAsync(string? emailContains, int limit, CancellationToken cancellationToken = default);

    /// <summary>Locks the user out indefinitely (and ends their sessions) or lifts the lockout.</summary>
    Task<AdminUser> SetLockedAsync(string userId, bool locked, string actingUserId, CancellationToken cancellationToken = default);

    /// <summary>Grants or revokes the Admin role. Administrators cannot change their own role or lock themselves out.</summary>
    Task<AdminUser> SetAdminAsync(string userId, bool admin, string actingUserId, CancellationToken cancellationToken = default);
}

/// <summary>Thrown for a change that is not allowed (on oneself) or that Identity refused; the message is for the administrator.</summary>
public sealed class UserAdministrationException(string message) : Exception(message);

/// <summary>
/// <see cref="IUserAdministration"/> over ASP.NET Core Identity. Each call runs in a scope of its own, so an
/// interactive page (one long-lived circuit) never shares a DbContext between overlapping calls.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes) : IUserAdministration
{
    public async Task<IReadOnlyList<AdminUser>> SearchAsync(string? emailContains, int limit, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(emailContains))
        {
            var normalized = emailContains.Trim().ToUpperInvariant();
            query = query.Where(user => user.NormalizedEmail != null && user.NormalizedEmail.Contains(normalized));
        }
        var adminRoleId = db.Roles.Where(role => role.Name == PortalRoles.Admin).Select(role => role.Id);
        return await query
            .OrderBy(user => user.NormalizedEmail)
            .Take(Math.Clamp(limit, 1, 500))
            .Select(user => new AdminUser(
                user.Id,
                user.Email ?? user.UserName ?? "",
                user.EmailConfirmed,
                db.UserRoles.Any(link => link.UserId == user.Id && adminRoleId.Contains(link.RoleId)),
                user.LockoutEnd))
            .ToListAsync(cancellationToken);
    }

    public async Task<AdminUser> SetLockedAsync(string userId, bool locked, string actingUserId, CancellationToken cancellationToken = default)
    {
        if (locked && userId == actingUserId)
        {
            throw new UserAdministrationException("You cannot lock your own account.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await FindAsync(users, userId);
        if (locked)
        {
            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
            // A new security stamp ends the user's existing sign-ins when their cookie is next validated.
            Check(await users.UpdateSecurityStampAsync(user));
        }
        else
        {
            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
        }
        return await DescribeAsync(users, user);
    }

    public async Task<AdminUser> SetAdminAsync(string userId, bool admin, string actingUserId, CancellationToken cancellationToken = default)
    {
        if (userId == actingUserId)
        {
            throw new UserAdministrationException("You cannot change your own Admin role.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await FindAsync(users, userId);
        var isAdmin = await users.IsInRoleAsync(user, PortalRoles.Admin);
        if (admin && !isAdmin)
        {
            Check(await users.AddToRoleAsync(user, PortalRoles.Admin));
        }
        else if (!admin && isAdmin)
        {
            Check(await users.RemoveFromRoleAsync(user, PortalRoles.Admin));
        }
        // The role is a claim in the user's cookie: a new stamp makes their sign-in pick up the change.
        Check(await users.UpdateSecurityStampAsync(user));
        return await DescribeAsync(users, user);
    }

    private static async Task<ApplicationUser> FindAsync(UserManager<ApplicationUser> users, string userId)
        => await users.FindByIdAsync(userId) ?? throw new UserAdministrationException("No such user.");

    private static async Task<AdminUser> DescribeAsync(UserManager<ApplicationUser> users, ApplicationUser user)
        => new(user.Id, user.Email ?? user.UserName ?? "", user.EmailConfirmed, await users.IsInRoleAsync(user, PortalRoles.Admin),
            await users.GetLockoutEndDateAsync(user));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new UserAdministrationException(string.Join(" ", result.Errors.Select(error => error.Description)));
        }
    }
}
