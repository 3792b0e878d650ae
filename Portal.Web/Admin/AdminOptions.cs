namespace Portal.Web.Admin;

/// <summary>
/// The first administrator (configuration section "Admin"): created or promoted at start. The AppHost passes
/// its parameters <c>admin-email</c> and <c>admin-password</c> (a secret) as <c>Admin__Email</c> and
/// <c>Admin__Password</c>. Without an email, no administrator is seeded.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string? Email { get; set; }

    /// <summary>Used only when the user is created; an existing user's password is never changed.</summary>
    public string? Password { get; set; }
}

/// <summary>The portal's Identity roles.</summary>
public static class PortalRoles
{
    public const string Admin = "Admin";
}
