using Billing.Service.Accounts;
using Billing.Service.Byok;
using Billing.Service.Generations;
using Billing.Service.Keys;
using Billing.Service.Ledger;
using Billing.Service.Payments;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Billing.Service.Data;

public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<AccountCreditTotal> AccountCreditTotals => Set<AccountCreditTotal>();
    public DbSet<KeySpendingTotal> KeySpendingTotals => Set<KeySpendingTotal>();
    public DbSet<KeySpendingDay> KeySpendingDays => Set<KeySpendingDay>();
    public DbSet<Generation> Generations => Set<Generation>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<StripeEventRecord> StripeEvents => Set<StripeEventRecord>();
    public DbSet<ProviderKey> ProviderKeys => Set<ProviderKey>();

    /// <summary>The Data Protection key ring that encrypts provider keys, shared by every billing replica.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(BillingDbContext).Assembly);
}
