using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Billing.Service.Data;

/// <summary>Lets `dotnet ef migrations add` build the context without the Aspire-provided connection string.</summary>
internal sealed class BillingDbContextDesignTimeFactory : IDesignTimeDbContextFactory<BillingDbContext>
{
    public BillingDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<BillingDbContext>().UseNpgsql("Host=localhost;Database=billingdb").Options);
}
