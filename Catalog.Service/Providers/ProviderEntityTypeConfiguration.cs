using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catalog.Service.Providers;

internal sealed class ProviderEntityTypeConfiguration : IEntityTypeConfiguration<Provider>
{
    private const int UrlLength = 512;

    public void Configure(EntityTypeBuilder<Provider> builder)
    {
        builder.ToTable("providers");
        builder.HasKey(provider => provider.Slug);
        builder.Property(provider => provider.Slug).HasMaxLength(64);
        builder.Property(provider => provider.Name).HasMaxLength(128);
        builder.Property(provider => provider.BaseUrl).HasMaxLength(UrlLength);
        builder.Property(provider => provider.WireFormat).HasConversion<string>().HasMaxLength(32);
        builder.Property(provider => provider.Status).HasConversion<string>().HasMaxLength(16)
            .HasDefaultValue(ProviderStatus.Operational).HasSentinel(ProviderStatus.Operational);
        builder.Property(provider => provider.Headquarters).HasMaxLength(2);
        builder.Property(provider => provider.PrivacyPolicyUrl).HasMaxLength(UrlLength);
        builder.Property(provider => provider.TermsOfServiceUrl).HasMaxLength(UrlLength);
        builder.Property(provider => provider.StatusPageUrl).HasMaxLength(UrlLength);
    }
}
