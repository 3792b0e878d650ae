using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Web.Billing;

/// <summary>How often a key's credit limit starts again; <see cref="None"/> means it never resets.</summary>
public enum KeyLimitReset
{
    None,
    Daily,
    Weekly,
    Monthly,
}

/// <summary>A billing account, one per portal user.</summary>
public sealed record BillingAccount(Guid Id, string OwnerUserId, string Email, DateTimeOffset CreatedAt);

/// <summary>An API key as billing describes it (never with its secret).</summary>
public sealed record ApiKeyInfo(
    string Hash,
    string Name,
    string Label,
    bool Disabled,
    decimal? Limit,
    decimal? LimitRemaining,
    string? LimitReset,
    decimal Usage,
    decimal UsageDaily,
    decimal UsageWeekly,
    decimal UsageMonthly,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? ExpiresAt,
    bool IsProvisioningKey);

/// <summary>The answer to a key creation: the only time the secret is ever seen.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Data, string Key);

/// <summary>An account's credit totals in USD.</summary>
public sealed record CreditTotals(decimal TotalCredits, decimal TotalUsage)
{
    public decimal Balance => TotalCredits - TotalUsage;
}

internal sealed record EnsureAccountRequest(string Email);

/// <summary>The portal only ever creates ordinary inference keys, so there is no provisioning field.</summary>
internal sealed record CreateKeyRequest(string Name, decimal? Limit, string? LimitReset, DateTimeOffset? ExpiresAt);

internal sealed record UpdateKeyRequest(bool Disabled);

internal sealed record KeyListEnvelope(IReadOnlyList<ApiKeyInfo> Data);

internal sealed record KeyEnvelope(ApiKeyInfo Data);

internal sealed record CreditsEnvelope(CreditTotals Data);

internal sealed record BillingErrorEnvelope(BillingErrorBody? Error);

internal sealed record BillingErrorBody(int Code, string? Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnsureAccountRequest))]
[JsonSerializable(typeof(BillingAccount))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(UpdateKeyRequest))]
[JsonSerializable(typeof(KeyListEnvelope))]
[JsonSerializable(typeof(KeyEnvelope))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(CreditsEnvelope))]
[JsonSerializable(typeof(BillingErrorEnvelope))]
internal sealed partial class BillingJsonContext : JsonSerializerContext;
