using Billing.Service.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Ledger;

internal sealed class LedgerTransactionEntityTypeConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> builder)
    {
        builder.ToTable("ledger_transactions");
        builder.HasKey(transaction => transaction.Id);
        builder.HasIndex(transaction => transaction.Reference).IsUnique();
        builder.HasIndex(transaction => new { transaction.AccountId, transaction.CreatedAt });
        builder.HasIndex(transaction => new { transaction.ApiKeyId, transaction.CreatedAt });
        builder.HasOne<Account>().WithMany().HasForeignKey(transaction => transaction.AccountId);
        builder.Property(transaction => transaction.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(transaction => transaction.Reference).HasMaxLength(128);
        builder.Property(transaction => transaction.Description).HasMaxLength(512);
        builder.Property(transaction => transaction.Actor).HasMaxLength(256);
        builder.HasMany(transaction => transaction.Entries).WithOne().HasForeignKey(entry => entry.TransactionId);
    }
}

internal sealed class LedgerEntryEntityTypeConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("ledger_entries");
        builder.HasKey(entry => entry.Id);
        builder.HasIndex(entry => new { entry.Book, entry.AccountId });
        builder.Property(entry => entry.Book).HasConversion<string>().HasMaxLength(24);
    }
}
