namespace Billing.Service.Generations;

/// <summary>How Billing.Service drains the usage stream (section <c>UsageConsumer</c>).</summary>
public sealed class UsageConsumerOptions
{
    public const string SectionName = "UsageConsumer";

    /// <summary>The consumer group all billing replicas share: each event goes to one of them.</summary>
    public string Group { get; set; } = "billing";

    public int BatchSize { get; set; } = 100;

    /// <summary>How long to wait when the stream is empty.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>An event delivered but not acknowledged for this long (its consumer died or failed) is taken over.</summary>
    public TimeSpan ClaimAfter { get; set; } = TimeSpan.FromSeconds(15);
}
