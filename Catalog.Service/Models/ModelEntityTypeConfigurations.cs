using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catalog.Service.Models;

internal sealed class ModelEntityTypeConfiguration : IEntityTypeConfiguration<Model>
{
    public void Configure(EntityTypeBuilder<Model> builder)
    {
        builder.ToTable("models");
        builder.HasKey(model => model.Id);
        builder.Property(model => model.Id).HasMaxLength(128);
        builder.Property(model => model.CanonicalSlug).HasMaxLength(128);
        builder.Property(model => model.Name).HasMaxLength(256);
        builder.Property(model => model.HuggingFaceId).HasMaxLength(128);
        builder.Property(model => model.Tokenizer).HasMaxLength(64);
        builder.Property(model => model.InstructType).HasMaxLength(64);
        builder.Property(model => model.IsEnabled).HasDefaultValue(true).HasSentinel(true);
        builder.Ignore(model => model.IsFreeVariant);
        builder.HasMany(model => model.Endpoints).WithOne(endpoint => endpoint.Model).HasForeignKey(endpoint => endpoint.ModelId);
    }
}

internal sealed class ModelEndpointEntityTypeConfiguration : IEntityTypeConfiguration<ModelEndpoint>
{
    // USD per token needs many decimal places: $0.075 per million tokens is 0.000000075.
    internal const int PricePrecision = 20;
    internal const int PriceScale = 12;

    public void Configure(EntityTypeBuilder<ModelEndpoint> builder)
    {
        builder.ToTable("model_endpoints");
        builder.HasKey(endpoint => endpoint.Id);
        builder.HasIndex(endpoint => new { endpoint.ModelId, endpoint.ProviderSlug }).IsUnique();
        builder.HasOne(endpoint => endpoint.Provider).WithMany().HasForeignKey(endpoint => endpoint.ProviderSlug);
        builder.HasOne(endpoint => endpoint.Stats).WithOne().HasForeignKey<EndpointStats>(stats => stats.EndpointId);
        builder.Property(endpoint => endpoint.UpstreamModelName).HasMaxLength(128);
        builder.Property(endpoint => endpoint.Quantization).HasMaxLength(16);
        builder.Property(endpoint => endpoint.PromptPrice).HasPrecision(PricePrecision, PriceScale);
        builder.Property(endpoint => endpoint.CompletionPrice).HasPrecision(PricePrecision, PriceScale);
        builder.Property(endpoint => endpoint.RequestPrice).HasPrecision(PricePrecision, PriceScale);
        builder.Property(endpoint => endpoint.ImagePrice).HasPrecision(PricePrecision, PriceScale);
        builder.Property(endpoint => endpoint.InputCacheReadPrice).HasPrecision(PricePrecision, PriceScale);
        builder.Property(endpoint => endpoint.InputCacheWritePrice).HasPrecision(PricePrecision, PriceScale);
        builder.Property(endpoint => endpoint.InternalReasoningPrice).HasPrecision(PricePrecision, PriceScale);
        builder.Property(endpoint => endpoint.Discount).HasPrecision(5, 4);
        builder.Property(endpoint => endpoint.Status).HasConversion<string>().HasMaxLength(16)
            .HasDefaultValue(EndpointStatus.Operational).HasSentinel(EndpointStatus.Operational);
    }
}

internal sealed class EndpointStatsEntityTypeConfiguration : IEntityTypeConfiguration<EndpointStats>
{
    public void Configure(EntityTypeBuilder<EndpointStats> builder)
    {
        builder.ToTable("model_endpoint_stats");
        builder.HasKey(stats => stats.EndpointId);
        builder.Property(stats => stats.EndpointId).ValueGeneratedNever();
    }
}
