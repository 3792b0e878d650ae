using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Accounts;

internal sealed class AccountEntityTypeConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.HasKey(account => account.Id);
        builder.HasIndex(account => account.OwnerUserId).IsUnique();
        builder.Property(account => account.OwnerUserId).HasMaxLength(64);
        builder.Property(account => account.Email).HasMaxLength(256);
    }
}
