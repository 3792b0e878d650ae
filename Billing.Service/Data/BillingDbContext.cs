using Billing.Service.Accounts;
using Billing.Service.Generations;
using Billing.Service.Keys;
using Billing.Service.Ledger;
using Billing.Service.Payments;
using Microsoft.EntityFrameworkCore;

namespace Billing.Service.Data;

public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<Generation> Generations => Set<Generation>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<StripeEventRecord> StripeEvents => Set<StripeEventRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(BillingDbContext).Assembly);
}
