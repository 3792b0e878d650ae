using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Keys;

/// <summary>POST /api/v1/keys (and the portal's internal twin, which may also ask for a provisioning key).</summary>
public sealed record CreateKeyRequest(
    string? Name,
    decimal? Limit,
    string? LimitReset,
    bool? IncludeByokInLimit,
    DateTimeOffset? ExpiresAt,
    bool? Provisioning = null,
    string? CreatorUserId = null,
    int? RateLimitPerMinute = null,
    int? MaxConcurrentRequests = null);

/// <summary>PATCH /api/v1/keys/{hash}: absent fields stay as they are; a rate or concurrency cap of 0 removes it.</summary>
public sealed record UpdateKeyRequest(string? Name, bool? Disabled, decimal? Limit, string? LimitReset, bool? IncludeByokInLimit,
    int? RateLimitPerMinute = null, int? MaxConcurrentRequests = null);

/// <summary>A key as OpenRouter's key-management API describes it.</summary>
public sealed record KeyResponse(
    string Hash,
    string Name,
    string Label,
    bool Disabled,
    decimal? Limit,
    decimal? LimitRemaining,
    string? LimitReset,
    bool IncludeByokInLimit,
    decimal Usage,
    decimal UsageDaily,
    decimal UsageWeekly,
    decimal UsageMonthly,
    decimal ByokUsage,
    decimal ByokUsageDaily,
    decimal ByokUsageWeekly,
    decimal ByokUsageMonthly,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? ExpiresAt,
    string? CreatorUserId,
    bool IsProvisioningKey,
    int? RateLimitPerMinute,
    int? MaxConcurrentRequests);

public sealed record KeyEnvelope(KeyResponse Data);

public sealed record KeyListEnvelope(IReadOnlyList<KeyResponse> Data);

/// <summary>The only answer that ever carries the secret.</summary>
public sealed record CreatedKeyEnvelope(KeyResponse Data, string Key);

public sealed record DeletedKeyResponse(bool Deleted);

/// <summary>GET /api/v1/key: the calling key.</summary>
public sealed record CurrentKeyResponse(
    string Label,
    decimal? Limit,
    decimal? LimitRemaining,
    string? LimitReset,
    bool IncludeByokInLimit,
    decimal Usage,
    decimal UsageDaily,
    decimal UsageWeekly,
    decimal UsageMonthly,
    decimal ByokUsage,
    decimal ByokUsageDaily,
    decimal ByokUsageWeekly,
    decimal ByokUsageMonthly,
    bool IsFreeTier,
    bool IsProvisioningKey,
    DateTimeOffset? ExpiresAt,
    string? CreatorUserId);

public sealed record CurrentKeyEnvelope(CurrentKeyResponse Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(UpdateKeyRequest))]
[JsonSerializable(typeof(KeyEnvelope))]
[JsonSerializable(typeof(KeyListEnvelope))]
[JsonSerializable(typeof(CreatedKeyEnvelope))]
[JsonSerializable(typeof(DeletedKeyResponse))]
[JsonSerializable(typeof(CurrentKeyEnvelope))]
internal sealed partial class KeysJsonContext : JsonSerializerContext;
