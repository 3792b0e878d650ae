using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catalog.Service.Providers;

internal sealed class ProviderEntityTypeConfiguration : IEntityTypeConfiguration<Provider>
{
    public void Configure(EntityTypeBuilder<Provider> builder)
    {
        builder.ToTable("providers");
        builder.HasKey(provider => provider.Slug);
        builder.Property(provider => provider.Slug).HasMaxLength(64);
        builder.Property(provider => provider.Name).HasMaxLength(128);
        builder.Property(provider => provider.BaseUrl).HasMaxLength(512);
        builder.Property(provider => provider.WireFormat).HasConversion<string>().HasMaxLength(32);
    }
}
