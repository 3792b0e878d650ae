using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Generations;

/// <summary>GET /api/v1/generation?id=, with OpenRouter's field names; money in USD, times in milliseconds.</summary>
public sealed record GenerationResponse(
    string Id,
    decimal TotalCost,
    decimal CacheDiscount,
    decimal UpstreamInferenceCost,
    DateTimeOffset CreatedAt,
    string Model,
    string? AppId,
    bool Streamed,
    bool Cancelled,
    string ProviderName,
    int Latency,
    int? ModerationLatency,
    int GenerationTime,
    string? FinishReason,
    string? NativeFinishReason,
    int TokensPrompt,
    int TokensCompletion,
    int NativeTokensPrompt,
    int NativeTokensCompletion,
    int NativeTokensReasoning,
    int NativeTokensCached,
    int NumMediaPrompt,
    int NumMediaCompletion,
    int NumSearchResults,
    string Origin,
    decimal Usage,
    bool IsByok,
    string? UpstreamId,
    int? TimeToFirstToken);

public sealed record GenerationEnvelope(GenerationResponse Data);

/// <summary>One day × model × endpoint of GET /api/v1/activity.</summary>
public sealed record ActivityItem(
    string Date,
    string Model,
    string ModelPermaslug,
    string EndpointId,
    string ProviderName,
    decimal Usage,
    decimal ByokUsageInference,
    int Requests,
    long PromptTokens,
    long CompletionTokens,
    long ReasoningTokens);

public sealed record ActivityEnvelope(IReadOnlyList<ActivityItem> Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GenerationEnvelope))]
[JsonSerializable(typeof(ActivityEnvelope))]
internal sealed partial class GenerationsJsonContext : JsonSerializerContext;
