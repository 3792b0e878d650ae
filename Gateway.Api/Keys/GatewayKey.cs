namespace Gateway.Api.Keys;

/// <summary>What the gateway knows about a caller's key, read from the billing service's Redis key directory.</summary>
public sealed record GatewayKey(
    Guid KeyId,
    Guid AccountId,
    bool IsDisabled,
    bool IsProvisioningKey,
    DateTimeOffset? ExpiresAt,
    long? LimitNanos,
    string LimitReset,
    int? RequestsPerMinute = null,
    int? MaxConcurrentRequests = null)
{
    public bool IsUsableAt(DateTimeOffset now) => !IsDisabled && (ExpiresAt is null || ExpiresAt > now);
}
