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

/// <summary>One request answered through the gateway, as the usage pages show it (money in USD, times in milliseconds).</summary>
public sealed record GenerationInfo(
    string Id,
    DateTimeOffset CreatedAt,
    string Model,
    string ProviderName,
    string? KeyHash,
    string? KeyName,
    string? KeyLabel,
    int TokensPrompt,
    int TokensCompletion,
    int TokensReasoning,
    int TokensCached,
    decimal TotalCost,
    decimal UpstreamInferenceCost,
    bool IsByok,
    int Latency,
    int? TimeToFirstToken,
    int GenerationTime,
    string? FinishReason,
    string? NativeFinishReason,
    bool Streamed,
    bool Cancelled,
    string? AppTitle,
    int SearchResults = 0,
    decimal SearchFee = 0);

/// <summary>Which generations to list: an inclusive range of UTC days, optional model and key filters, and a page.</summary>
public sealed record GenerationQuery(DateOnly From, DateOnly To, string? Model = null, string? KeyHash = null, int Offset = 0, int Limit = 25)
{
    /// <summary>Billing answers at most this many rows per call.</summary>
    public const int MaxLimit = 200;
}

/// <summary>A page of generations, newest first, and how many match the filters in all.</summary>
public sealed record GenerationPage(IReadOnlyList<GenerationInfo> Data, int TotalCount, int Offset, int Limit);

public sealed record UsageTotals(decimal Spend, int Requests, long PromptTokens, long CompletionTokens, long ReasoningTokens)
{
    public long Tokens => PromptTokens + CompletionTokens;
}

public sealed record UsageByDay(DateOnly Date, decimal Spend, int Requests, long PromptTokens, long CompletionTokens, long ReasoningTokens);

public sealed record UsageByModel(string Model, decimal Spend, int Requests, long PromptTokens, long CompletionTokens);

/// <summary>A key's totals; the hash, name and label are null once the key has been deleted.</summary>
public sealed record UsageByKey(string? KeyHash, string? KeyName, string? KeyLabel, decimal Spend, int Requests, long PromptTokens, long CompletionTokens);

/// <summary>An account's usage for a period of UTC days: totals, every day (zeros included), and per model and key.</summary>
public sealed record UsageReport(
    DateOnly From,
    DateOnly To,
    UsageTotals Totals,
    IReadOnlyList<UsageByDay> Days,
    IReadOnlyList<UsageByModel> Models,
    IReadOnlyList<UsageByKey> Keys);

/// <summary>What a top-up of <see cref="AmountUsd"/> costs: the platform fee and the total charged, with the limits and fee rule behind them.</summary>
public sealed record TopUpPrice(
    decimal AmountUsd,
    decimal FeeUsd,
    decimal TotalUsd,
    decimal FeePercent,
    decimal MinimumFeeUsd,
    decimal MinimumTopUpUsd,
    decimal MaximumTopUpUsd,
    string Currency);

/// <summary>A Stripe Checkout Session created for a top-up; <see cref="Url"/> is the hosted payment page.</summary>
public sealed record CheckoutSession(string SessionId, string? Url, decimal AmountUsd, decimal FeeUsd, decimal TotalUsd);

/// <summary>
/// A top-up after the payment page: <see cref="Status"/> is <c>pending</c> until Stripe's webhook arrives, then
/// <c>completed</c> (later possibly <c>refunded</c> or <c>disputed</c>); <see cref="BalanceUsd"/> is the account's balance now.
/// </summary>
public sealed record CheckoutStatus(string SessionId, string Status, decimal AmountUsd, decimal FeeUsd, decimal TotalUsd, decimal BalanceUsd)
{
    public const string Pending = "pending";
    public const string Completed = "completed";
}

/// <summary>
/// One ledger transaction from the customer's side: <see cref="Kind"/> is <c>top_up</c>, <c>platform_fee</c>, <c>usage</c>,
/// <c>refund</c>, <c>chargeback</c> or <c>adjustment</c>; <see cref="AmountUsd"/> is signed (what it did to the credits).
/// </summary>
public sealed record LedgerTransaction(Guid Id, string Kind, decimal AmountUsd, string? Description, DateTimeOffset CreatedAt, string Reference);

/// <summary>A page of the account's ledger transactions, newest first, and how many there are in all.</summary>
public sealed record TransactionPage(IReadOnlyList<LedgerTransaction> Data, int Offset, int Limit, int Total)
{
    /// <summary>Billing answers at most this many rows per call.</summary>
    public const int MaxLimit = 200;
}

internal sealed record EnsureAccountRequest(string Email);

/// <summary>The URLs may contain <c>{CHECKOUT_SESSION_ID}</c>, which Stripe fills in.</summary>
internal sealed record CheckoutRequest(decimal AmountUsd, string SuccessUrl, string CancelUrl, string? IdempotencyKey);

/// <summary>The portal only ever creates ordinary inference keys, so there is no provisioning field.</summary>
internal sealed record CreateKeyRequest(string Name, decimal? Limit, string? LimitReset, DateTimeOffset? ExpiresAt);

internal sealed record UpdateKeyRequest(bool Disabled);

internal sealed record KeyListEnvelope(IReadOnlyList<ApiKeyInfo> Data);

internal sealed record KeyEnvelope(ApiKeyInfo Data);

internal sealed record CreditsEnvelope(CreditTotals Data);

internal sealed record GenerationEnvelope(GenerationInfo Data);

internal sealed record UsageReportEnvelope(UsageReport Data);

/// <summary>One of the user's own provider keys (bring-your-own-key): never the secret, only its last characters.</summary>
public sealed record ProviderKeyInfo(string Provider, string Hint, bool AlwaysUse, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>
/// The account's default provider preferences, merged by the gateway into every request: <see cref="DataCollection"/>
/// <c>allow</c> or <c>deny</c>, and provider slugs never to route to.
/// </summary>
public sealed record ProviderPreferencesInfo(string DataCollection, IReadOnlyList<string> IgnoredProviders)
{
    public const string Allow = "allow";
    public const string Deny = "deny";
}

internal sealed record ProviderKeyListEnvelope(IReadOnlyList<ProviderKeyInfo> Data);

internal sealed record SaveProviderKeyRequest(string? ApiKey, bool AlwaysUse);

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
[JsonSerializable(typeof(GenerationPage))]
[JsonSerializable(typeof(GenerationEnvelope))]
[JsonSerializable(typeof(UsageReportEnvelope))]
[JsonSerializable(typeof(TopUpPrice))]
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(CheckoutSession))]
[JsonSerializable(typeof(CheckoutStatus))]
[JsonSerializable(typeof(TransactionPage))]
[JsonSerializable(typeof(ProviderKeyInfo))]
[JsonSerializable(typeof(ProviderKeyListEnvelope))]
[JsonSerializable(typeof(SaveProviderKeyRequest))]
[JsonSerializable(typeof(ProviderPreferencesInfo))]
internal sealed partial class BillingJsonContext : JsonSerializerContext;
