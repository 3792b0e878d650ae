using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace OpenRouterClone.Catalog.Snapshot;

/// <summary>
/// How endpoint statistics flow: gateways append the outcomes of upstream calls (each, or for a busy
/// endpoint a weighted sample) to <see cref="OutcomeStream"/>; Catalog.Service aggregates them into each endpoint's latency, throughput and
/// uptime, and publishes the result at <see cref="StatsKey"/>, announced on <see cref="StatsChangedChannel"/>,
/// so gateways route by fresh numbers without a new catalog version.
/// </summary>
public static class EndpointStatsRedis
{
    public const string OutcomeStream = "endpoint:outcomes";
    public const string StatsKey = "catalog:stats";
    public const string StatsChangedChannel = "catalog:stats:changed";
}

/// <summary>One upstream call's outcome for an endpoint.</summary>
/// <param name="LatencyMs">Time to first token (or to the answer), for answered calls.</param>
/// <param name="TokensPerSecond">Output tokens per second after the first, for answered calls that produced some.</param>
/// <param name="Weight">How many calls this outcome stands for: gateways send a sample of a busy endpoint's calls.</param>
public sealed record EndpointOutcome(int EndpointId, bool Succeeded, DateTimeOffset At, int? LatencyMs = null, double? TokensPerSecond = null, double Weight = 1)
{
    private const string EndpointField = "e";
    private const string SucceededField = "ok";
    private const string AtField = "at";
    private const string LatencyField = "lat";
    private const string ThroughputField = "tps";
    private const string WeightField = "w";

    public NameValueEntry[] ToStreamFields()
    {
        var fields = new List<NameValueEntry>(6)
        {
            new(EndpointField, EndpointId),
            new(SucceededField, Succeeded ? 1 : 0),
            new(AtField, At.ToUnixTimeMilliseconds()),
        };
        if (LatencyMs is { } latency)
        {
            fields.Add(new(LatencyField, latency));
        }
        if (TokensPerSecond is { } throughput)
        {
            fields.Add(new(ThroughputField, throughput.ToString("R", CultureInfo.InvariantCulture)));
        }
        if (Weight != 1)
        {
            fields.Add(new(WeightField, Weight.ToString("R", CultureInfo.InvariantCulture)));
        }
        return [.. fields];
    }

    /// <summary>Reads an outcome written by <see cref="ToStreamFields"/>; null when the entry is not one.</summary>
    public static EndpointOutcome? FromStreamFields(NameValueEntry[] entries)
    {
        string? Value(string name) => entries.FirstOrDefault(entry => entry.Name == name) is { Value.IsNull: false } entry ? entry.Value.ToString() : null;
        if (!int.TryParse(Value(EndpointField), CultureInfo.InvariantCulture, out var endpointId)
            || !long.TryParse(Value(AtField), CultureInfo.InvariantCulture, out var atMs))
        {
            return null;
        }
        return new EndpointOutcome(
            endpointId,
            Value(SucceededField) == "1",
            DateTimeOffset.FromUnixTimeMilliseconds(atMs),
            int.TryParse(Value(LatencyField), CultureInfo.InvariantCulture, out var latency) ? latency : null,
            double.TryParse(Value(ThroughputField), CultureInfo.InvariantCulture, out var throughput) && double.IsFinite(throughput) ? throughput : null,
            // Entries from gateways that sent every call carry no weight: each stands for itself.
            double.TryParse(Value(WeightField), CultureInfo.InvariantCulture, out var weight) && double.IsFinite(weight) && weight >= 1 ? weight : 1);
    }
}

/// <summary>The latest statistics of every endpoint that has some, by endpoint id.</summary>
public sealed record EndpointStatsSnapshot(DateTimeOffset GeneratedAt, IReadOnlyDictionary<int, SnapshotEndpointStats> Endpoints);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EndpointStatsSnapshot))]
public sealed partial class EndpointStatsJsonContext : JsonSerializerContext;
