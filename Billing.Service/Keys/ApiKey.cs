namespace Billing.Service.Keys;

/// <summary>
/// An API key of an account. Only the SHA-256 hash of the secret is stored; the secret itself is shown once,
/// when the key is created.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }

    /// <summary>Lowercase hex SHA-256 of the full secret; also the key's public identifier, as on OpenRouter.</summary>
    public required string Hash { get; set; }

    /// <summary>A short, non-secret reminder of the key such as <c>sk-or-v1-0e6...1c9</c>.</summary>
    public required string Label { get; set; }
    public required string Name { get; set; }
    public bool IsDisabled { get; set; }

    /// <summary>Provisioning keys manage other keys and cannot call inference endpoints.</summary>
    public bool IsProvisioningKey { get; set; }

    /// <summary>Spending cap in nano-dollars per <see cref="LimitReset"/> period; null means no cap.</summary>
    public long? LimitNanos { get; set; }
    public KeyLimitReset LimitReset { get; set; }
    public bool IncludeByokInLimit { get; set; }

    /// <summary>Requests the key may make in any 60 seconds; null means no cap of its own.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Requests the key may have in flight at once; null means no cap of its own.</summary>
    public int? MaxConcurrentRequests { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The portal user who created the key, for audit.</summary>
    public string? CreatorUserId { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => !IsDisabled && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>When a key's spending limit starts over; periods are UTC days, ISO weeks from Monday, calendar months.</summary>
public enum KeyLimitReset
{
    None,
    Daily,
    Weekly,
    Monthly,
}
