using Billing.Service.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Keys;

internal sealed class ApiKeyEntityTypeConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(key => key.Id);
        builder.HasIndex(key => key.Hash).IsUnique();
        builder.HasIndex(key => key.AccountId);
        builder.HasOne<Account>().WithMany().HasForeignKey(key => key.AccountId);
        builder.Property(key => key.Hash).HasMaxLength(64).IsFixedLength();
        builder.Property(key => key.Label).HasMaxLength(32);
        builder.Property(key => key.Name).HasMaxLength(ApiKeyRules.MaxNameLength);
        builder.Property(key => key.CreatorUserId).HasMaxLength(64);
        builder.Property(key => key.LimitReset).HasConversion<string>().HasMaxLength(16);
    }
}
