using Billing.Service.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Byok;

internal sealed class ProviderKeyEntityTypeConfiguration : IEntityTypeConfiguration<ProviderKey>
{
    public void Configure(EntityTypeBuilder<ProviderKey> builder)
    {
        builder.ToTable("provider_keys");
        builder.HasKey(key => key.Id);
        builder.HasIndex(key => new { key.AccountId, key.ProviderSlug }).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(key => key.AccountId);
        builder.Property(key => key.ProviderSlug).HasMaxLength(ProviderKeyRules.MaxProviderSlugLength);
        builder.Property(key => key.Hint).HasMaxLength(16);
    }
}
