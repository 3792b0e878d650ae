using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catalog.Service.Stats;

/// <summary>
/// One upstream call's outcome as a gateway reported it, standing for <see cref="Weight"/> calls (gateways
/// sample a busy endpoint's calls); kept for a day, the longest statistics window.
/// </summary>
public sealed class EndpointOutcomeRecord
{
    public long Id { get; set; }
    public int EndpointId { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Succeeded { get; set; }
    public int? LatencyMs { get; set; }
    public double? TokensPerSecond { get; set; }
    public double Weight { get; set; } = 1;
}

internal sealed class EndpointOutcomeRecordEntityTypeConfiguration : IEntityTypeConfiguration<EndpointOutcomeRecord>
{
    public void Configure(EntityTypeBuilder<EndpointOutcomeRecord> builder)
    {
        builder.ToTable("endpoint_outcomes");
        builder.HasKey(outcome => outcome.Id);
        builder.HasIndex(outcome => new { outcome.At, outcome.EndpointId });
        builder.Property(outcome => outcome.Weight).HasDefaultValue(1.0);
    }
}
