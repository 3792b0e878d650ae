using Billing.Service.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Ledger;

// Written only by the ledger triggers (LedgerRunningTotals and LedgerReportTotals migrations); the application reads them.

internal sealed class AccountCreditTotalEntityTypeConfiguration : IEntityTypeConfiguration<AccountCreditTotal>
{
    public void Configure(EntityTypeBuilder<AccountCreditTotal> builder)
    {
        builder.ToTable("ledger_account_totals");
        builder.HasKey(total => total.AccountId);
        builder.HasOne<Account>().WithMany().HasForeignKey(total => total.AccountId);
    }
}

internal sealed class KeySpendingTotalEntityTypeConfiguration : IEntityTypeConfiguration<KeySpendingTotal>
{
    public void Configure(EntityTypeBuilder<KeySpendingTotal> builder)
    {
        // No foreign key to api_keys, as the ledger has none: a deleted key's spending stays on the books.
        builder.ToTable("ledger_key_totals");
        builder.HasKey(total => total.ApiKeyId);
        builder.HasIndex(total => total.AccountId);
    }
}

internal sealed class KeySpendingDayEntityTypeConfiguration : IEntityTypeConfiguration<KeySpendingDay>
{
    public void Configure(EntityTypeBuilder<KeySpendingDay> builder)
    {
        builder.ToTable("ledger_key_spending_days");
        builder.HasKey(day => new { day.ApiKeyId, day.Day });
        builder.HasIndex(day => new { day.AccountId, day.Day });
    }
}
