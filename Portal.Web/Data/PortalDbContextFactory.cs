using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Web.Data;

/// <summary>
/// Lets dotnet-ef build the context without the app's host: the Aspire registration needs the
/// "portaldb" connection string, which only the AppHost supplies at run time. Migrations are generated
/// against the Npgsql provider; the database is never contacted.
/// </summary>
public sealed class PortalDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        // Identity takes the schema version from IdentityOptions in the application's services; without
        // them it silently builds the version 1 model (no passkeys) and the migration would not match the app.
        var identityServices = new ServiceCollection()
            .Configure<IdentityOptions>(options => options.Stores.SchemaVersion = PortalDbContext.IdentitySchemaVersion)
            .BuildServiceProvider();

        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql("Host=localhost;Database=portaldb")
            .UseApplicationServiceProvider(identityServices)
            .Options;
        return new PortalDbContext(options);
    }
}
