using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Portal.Web.Data;

/// <summary>
/// The portal's own database (portaldb): ASP.NET Core Identity users, logins, tokens and passkeys.
/// Accounts, keys and credits live in Billing.Service, not here.
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<ApplicationUser>(options)
{
    /// <summary>
    /// Identity schema version 3 (adds AspNetUserPasskeys). Identity reads it from IdentityOptions when it
    /// builds the model, so the app and the design-time factory must both set it.
    /// </summary>
    public static readonly Version IdentitySchemaVersion = IdentitySchemaVersions.Version3;
}
