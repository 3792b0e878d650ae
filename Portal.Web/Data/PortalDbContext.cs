using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Portal.Web.Data;

/// <summary>
/// The portal's own database (portaldb): ASP.NET Core Identity users, logins, tokens and passkeys, and the
/// Data Protection key ring that protects the portal's cookies and antiforgery tokens.
/// Accounts, keys and credits live in Billing.Service, not here.
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// Shared by every portal replica and kept across restarts, so a sign-in cookie or a form's antiforgery
    /// token issued by one process is accepted by the next.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Identity schema version 3 (adds AspNetUserPasskeys). Identity reads it from IdentityOptions when it
    /// builds the model, so the app and the design-time factory must both set it.
    /// </summary>
    public static readonly Version IdentitySchemaVersion = IdentitySchemaVersions.Version3;
}
