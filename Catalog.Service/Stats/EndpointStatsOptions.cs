using System.ComponentModel.DataAnnotations;

namespace Catalog.Service.Stats;

/// <summary>How often endpoint statistics are recomputed from the gateways' outcomes (section <c>EndpointStats</c>).</summary>
public sealed class EndpointStatsOptions
{
    public const string SectionName = "EndpointStats";

    /// <summary>How often new outcomes are read from the stream.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the statistics are recomputed and published to gateways.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2_000;
}
