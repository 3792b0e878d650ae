using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Admin;

namespace ComponentTests.Admin;

/// <summary>A signed-in administrator (ada, from <see cref="BillingContext"/>) with in-memory admin services.</summary>
public abstract class AdminContext : BillingContext
{
    protected const string Actor = $"{Email} ({UserId})";

    protected AdminContext()
    {
        Authorization.SetRoles(PortalRoles.Admin);
        // Setting roles rebuilds the principal: the claims the pages read go back on.
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId), new Claim(ClaimTypes.Email, Email));
        Services.AddSingleton<ICatalogAdminClient>(CatalogAdmin);
        Services.AddSingleton<IBillingAdminClient>(BillingAdmin);
        Services.AddSingleton<IUserAdministration>(Users);
        Services.AddSingleton<IServiceHealthProbe>(Health);
    }

    protected FakeCatalogAdminClient CatalogAdmin { get; } = new();

    protected FakeBillingAdminClient BillingAdmin { get; } = new();

    protected FakeUserAdministration Users { get; } = new();

    protected FakeServiceHealthProbe Health { get; } = new();
}
