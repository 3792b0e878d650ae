using System.Text.Json;
using System.Text.Json.Serialization;

namespace Catalog.Service.Models;

public sealed record ModelListResponse(IReadOnlyList<ModelResponse> Data);

public sealed record ModelResponse(
    string Id,
    string CanonicalSlug,
    string Name,
    long Created,
    string Description,
    int ContextLength,
    ArchitectureResponse Architecture,
    PricingResponse Pricing,
    TopProviderResponse TopProvider,
    PerRequestLimitsResponse? PerRequestLimits,
    IReadOnlyList<string> SupportedParameters);

public sealed record ArchitectureResponse(
    string Modality,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    string Tokenizer,
    string? InstructType);

public sealed record PricingResponse(string Prompt, string Completion, string Request, string Image);

public sealed record TopProviderResponse(int ContextLength, int? MaxCompletionTokens, bool IsModerated);

public sealed record PerRequestLimitsResponse(string PromptTokens, string CompletionTokens);

public sealed record ProviderListResponse(IReadOnlyList<ProviderResponse> Data);

public sealed record ProviderResponse(string Name, string Slug);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelListResponse))]
[JsonSerializable(typeof(ProviderListResponse))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
