// The shared circuit-breaker contract: gateways write and read it, Catalog.Service reads it for the admin System page.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenRouterClone.Catalog.Snapshot;

/// <summary>
/// Where gateway replicas share their circuit breakers: <see cref="OpenKey"/> is a hash, field = endpoint id
/// (decimal), value = the JSON of a <see cref="CircuitChange"/> that opened the circuit; every open and close is
/// also announced on <see cref="ChangedChannel"/>. The hash expires with its newest entry (each open pushes the
/// expiry out, never in), so stale fields vanish once every circuit's open time is over; readers skip fields whose
/// <see cref="CircuitChange.OpenUntil"/> has passed. Untagged keys: one hash slot each, fine for Redis Cluster.
/// </summary>
public static class CircuitBreakerRedis
{
    public const string OpenKey = "breaker:open";
    public const string ChangedChannel = "breaker:changed";

    public static string Field(int endpointId) => endpointId.ToString(CultureInfo.InvariantCulture);

    public static CircuitChange? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CircuitBreakerJsonContext.Default.CircuitChange);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] Serialize(CircuitChange change)
        => JsonSerializer.SerializeToUtf8Bytes(change, CircuitBreakerJsonContext.Default.CircuitChange);
}

/// <summary>A replica's breaker for an endpoint opened (or reopened after a failed trial) or closed.</summary>
/// <param name="Open">True for opened: the endpoint goes last until <paramref name="OpenUntil"/>; false for closed.</param>
/// <param name="OpenUntil">The end of the open time by the publishing replica's clock; null when closed.</param>
/// <param name="Reason">The failure that opened it, short ("HTTP 503", "timeout", "connection reset"); null when closed.</param>
/// <param name="Instance">The publishing gateway process (host and process id), so it ignores its own messages.</param>
/// <param name="At">When the replica's breaker changed.</param>
public sealed record CircuitChange(int EndpointId, bool Open, DateTimeOffset? OpenUntil, string? Reason, string Instance, DateTimeOffset At);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CircuitChange))]
public sealed partial class CircuitBreakerJsonContext : JsonSerializerContext;
