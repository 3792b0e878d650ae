using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Generations;

// The portal's view of an account's request log (internal API): money in USD, times in milliseconds.

/// <summary>One generation as the portal lists and shows it, with the key that made it (null fields once the key is deleted).</summary>
public sealed record PortalGeneration(
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
    int SearchResults,
    decimal SearchFee);

/// <summary>A page of generations, newest first, with the number of rows matching the filters.</summary>
public sealed record PortalGenerationPage(IReadOnlyList<PortalGeneration> Data, int TotalCount, int Offset, int Limit);

public sealed record PortalGenerationEnvelope(PortalGeneration Data);

public sealed record UsageTotals(decimal Spend, int Requests, long PromptTokens, long CompletionTokens, long ReasoningTokens);

/// <summary>One UTC day of the period; days without requests are present with zeros, so charts have no gaps.</summary>
public sealed record UsageByDay(DateOnly Date, decimal Spend, int Requests, long PromptTokens, long CompletionTokens, long ReasoningTokens);

public sealed record UsageByModel(string Model, decimal Spend, int Requests, long PromptTokens, long CompletionTokens);

public sealed record UsageByKey(string? KeyHash, string? KeyName, string? KeyLabel, decimal Spend, int Requests, long PromptTokens, long CompletionTokens);

public sealed record UsageReport(
    DateOnly From,
    DateOnly To,
    UsageTotals Totals,
    IReadOnlyList<UsageByDay> Days,
    IReadOnlyList<UsageByModel> Models,
    IReadOnlyList<UsageByKey> Keys);

public sealed record UsageReportEnvelope(UsageReport Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PortalGenerationPage))]
[JsonSerializable(typeof(PortalGenerationEnvelope))]
[JsonSerializable(typeof(UsageReportEnvelope))]
internal sealed partial class PortalUsageJsonContext : JsonSerializerContext;
