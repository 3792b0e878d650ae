using Billing.Service.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Generations;

internal sealed class GenerationEntityTypeConfiguration : IEntityTypeConfiguration<Generation>
{
    public void Configure(EntityTypeBuilder<Generation> builder)
    {
        builder.ToTable("generations");
        builder.HasKey(generation => generation.Id);
        builder.Property(generation => generation.Id).HasMaxLength(64);
        builder.HasOne<Account>().WithMany().HasForeignKey(generation => generation.AccountId);
        // Dashboards read an account's or a key's recent rows; retention deletes by time.
        builder.HasIndex(generation => new { generation.AccountId, generation.CreatedAt });
        builder.HasIndex(generation => new { generation.AccountId, generation.CreatedDay });
        builder.HasIndex(generation => new { generation.ApiKeyId, generation.CreatedAt });
        builder.Property(generation => generation.Model).HasMaxLength(128);
        builder.Property(generation => generation.ProviderSlug).HasMaxLength(64);
        builder.Property(generation => generation.ProviderName).HasMaxLength(128);
        builder.Property(generation => generation.UpstreamId).HasMaxLength(128);
        builder.Property(generation => generation.FinishReason).HasMaxLength(32);
        builder.Property(generation => generation.NativeFinishReason).HasMaxLength(64);
        builder.Property(generation => generation.AppReferer).HasMaxLength(512);
        builder.Property(generation => generation.AppTitle).HasMaxLength(256);
    }
}
