namespace Billing.Service.Generations;

/// <summary>How Billing.Service drains the usage stream (section <c>UsageConsumer</c>).</summary>
public sealed class UsageConsumerOptions
{
    public const string SectionName = "UsageConsumer";

    /// <summary>The consumer group all billing replicas share: each event goes to one of them.</summary>
    public string Group { get; set; } = "billing";

    /// <summary>
    /// The most events read and recorded in one Postgres transaction. Each batch costs some work whatever its size
    /// (its probes, the ledger's statement triggers, the commit, the Redis calls after it): under full load batches of
    /// 500 cost Postgres about a fifth less per event than batches of 100, which is what lets billing keep up.
    /// </summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long to wait after a read that found less than a full batch. Events gather meanwhile, so at low traffic
    /// they are recorded in batches rather than one Postgres transaction each; a generation shows at most this
    /// much later. Under full load batches come back full and there is no wait.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>An event delivered but not acknowledged for this long (its consumer died or failed) is taken over.</summary>
    public TimeSpan ClaimAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often to look for such events: a fraction of <see cref="ClaimAfter"/>, not on every read.</summary>
    public TimeSpan ClaimCheckInterval => ClaimAfter / 4;
}
