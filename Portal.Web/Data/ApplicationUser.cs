using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Data;

/// <summary>A portal user. Profile data, when needed, goes here as extra properties.</summary>
public class ApplicationUser : IdentityUser
{
}
