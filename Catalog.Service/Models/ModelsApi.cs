using System.Globalization;
using Catalog.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Shared;

namespace Catalog.Service.Models;

/// <summary>OpenRouter's read API for models and providers, served behind the gateway at /api/v1.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/models", GetModelsAsync);
        api.MapGet("/models/count", GetModelCountAsync);
        // The full list here; the gateway serves models/user itself and filters this by the caller's account preferences.
        api.MapGet("/models/user", GetModelsAsync);
        api.MapGet("/models/{author}/{slug}/endpoints", GetModelEndpointsAsync);
        api.MapGet("/providers", GetProvidersAsync);
        return app;
    }

    public static async Task<Ok<ModelListResponse>> GetModelsAsync(
        CatalogDbContext db, [AsParameters] ModelListQuery query, CancellationToken cancellationToken)
    {
        var models = await LoadListedModelsAsync(db, query.ToFilter(), cancellationToken);
        return TypedResults.Ok(new ModelListResponse([.. models.Select(ToResponse)]));
    }

    public static async Task<Ok<ModelCountResponse>> GetModelCountAsync(
        CatalogDbContext db, [AsParameters] ModelListQuery query, CancellationToken cancellationToken)
    {
        var models = await LoadListedModelsAsync(db, query.ToFilter(), cancellationToken);
        return TypedResults.Ok(new ModelCountResponse(new ModelCount(models.Count)));
    }

    /// <summary>The query string that <c>models</c>, <c>models/user</c> and <c>models/count</c> share.</summary>
    public sealed record ModelListQuery(
        [FromQuery(Name = "supported_parameters")] string? SupportedParameters,
        [FromQuery(Name = "output_modalities")] string? OutputModalities,
        [FromQuery(Name = "category")] string? Category)
    {
        public ModelFilter ToFilter() => ModelFilter.Parse(SupportedParameters, OutputModalities, Category);
    }

    public static async Task<Results<Ok<ModelEndpointsResponse>, JsonHttpResult<ErrorResponse>>> GetModelEndpointsAsync(
        string author, string slug, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var id = $"{author}/{slug}";
        var model = await db.Models
            .AsNoTracking()
            .Where(model => model.Id == id && model.IsEnabled)
            // The same filter on both paths: EF Core applies one filter per navigation.
            .Include(model => model.Endpoints.Where(endpoint => endpoint.IsEnabled && endpoint.Provider!.IsEnabled))
                .ThenInclude(endpoint => endpoint.Provider)
            .Include(model => model.Endpoints.Where(endpoint => endpoint.IsEnabled && endpoint.Provider!.IsEnabled))
                .ThenInclude(endpoint => endpoint.Stats)
            .AsSplitQuery()
            .SingleOrDefaultAsync(cancellationToken);
        if (model is null)
        {
            return ApiError.NotFound($"Model '{id}' not found");
        }
        return TypedResults.Ok(new ModelEndpointsResponse(ToEndpointsData(model)));
    }

    public static async Task<Ok<ProviderListResponse>> GetProvidersAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var providers = await db.Providers
            .AsNoTracking()
            .Where(provider => provider.IsEnabled)
            .OrderBy(provider => provider.Name)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProviderListResponse([.. providers.Select(provider => new ProviderResponse(
            Name: provider.Name,
            Slug: provider.Slug,
            PrivacyPolicyUrl: provider.PrivacyPolicyUrl,
            TermsOfServiceUrl: provider.TermsOfServiceUrl,
            StatusPageUrl: provider.StatusPageUrl,
            Headquarters: provider.Headquarters,
            Datacenters: provider.Datacenters))]));
    }

    /// <summary>Enabled models with at least one enabled endpoint at an enabled provider, newest first.</summary>
    private static async Task<List<Model>> LoadListedModelsAsync(CatalogDbContext db, ModelFilter filter, CancellationToken cancellationToken)
    {
        var models = await db.Models
            .AsNoTracking()
            .Where(model => model.IsEnabled)
            .Include(model => model.Endpoints.Where(endpoint => endpoint.IsEnabled && endpoint.Provider!.IsEnabled))
            .Where(model => model.Endpoints.Any(endpoint => endpoint.IsEnabled && endpoint.Provider!.IsEnabled))
            .OrderByDescending(model => model.CreatedAt)
            .ThenBy(model => model.Id)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return [.. models.Where(filter.Matches)];
    }

    /// <summary>Cheapest first (prompt + completion), ties by provider slug: the order the default router tries.</summary>
    internal static IEnumerable<ModelEndpoint> ByPrice(IEnumerable<ModelEndpoint> endpoints)
        => endpoints
            .OrderBy(endpoint => endpoint.PromptPrice + endpoint.CompletionPrice)
            .ThenBy(endpoint => endpoint.ProviderSlug, StringComparer.Ordinal);

    internal static ModelResponse ToResponse(Model model)
    {
        // The cheapest endpoint is the one the default router prefers, so it speaks for the model.
        var top = ByPrice(model.Endpoints).First();
        return new ModelResponse(
            Id: model.Id,
            CanonicalSlug: model.CanonicalSlug,
            HuggingFaceId: model.HuggingFaceId ?? "",
            Name: model.Name,
            Created: model.CreatedAt.ToUnixTimeSeconds(),
            Description: model.Description,
            ContextLength: model.ContextLength,
            Architecture: ToArchitecture(model),
            Pricing: ToPricing(top, includeDiscount: false),
            TopProvider: new TopProviderResponse(top.ContextLength, top.MaxCompletionTokens, top.IsModerated),
            PerRequestLimits: null,
            SupportedParameters: [.. model.Endpoints.SelectMany(endpoint => endpoint.SupportedParameters).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>The endpoints response; the model's endpoints must come with their providers (and stats, if any).</summary>
    internal static ModelEndpointsData ToEndpointsData(Model model) => new(
        Id: model.Id,
        Name: model.Name,
        Created: model.CreatedAt.ToUnixTimeSeconds(),
        Description: model.Description,
        Architecture: ToArchitecture(model),
        Endpoints: [.. ByPrice(model.Endpoints).Select(endpoint => ToEndpointResponse(model, endpoint))]);

    internal static EndpointResponse ToEndpointResponse(Model model, ModelEndpoint endpoint)
    {
        var provider = endpoint.Provider ?? throw new InvalidOperationException($"Endpoint {endpoint.Id} was loaded without its provider");
        var stats = endpoint.Stats;
        return new EndpointResponse(
            Name: $"{provider.Name} | {model.Id}",
            ModelId: model.CanonicalSlug,
            ModelName: model.Name,
            ContextLength: endpoint.ContextLength,
            Pricing: ToPricing(endpoint, includeDiscount: true),
            ProviderName: provider.Name,
            Tag: endpoint.Quantization is { Length: > 0 } quantization ? $"{provider.Slug}/{quantization}" : provider.Slug,
            Quantization: endpoint.Quantization ?? "unknown",
            MaxCompletionTokens: endpoint.MaxCompletionTokens,
            MaxPromptTokens: endpoint.MaxPromptTokens,
            SupportedParameters: endpoint.SupportedParameters,
            Status: (int)endpoint.Status,
            UptimeLast30m: stats?.UptimeLast30m,
            UptimeLast1d: stats?.UptimeLast1d,
            SupportsImplicitCaching: endpoint.SupportsImplicitCaching,
            LatencyLast30m: stats is { LatencyP50Last30m: not null }
                ? new PercentileStatsResponse(stats.LatencyP50Last30m, stats.LatencyP75Last30m, stats.LatencyP90Last30m, stats.LatencyP99Last30m)
                : null,
            ThroughputLast30m: stats is { ThroughputP50Last30m: not null }
                ? new PercentileStatsResponse(stats.ThroughputP50Last30m, stats.ThroughputP75Last30m, stats.ThroughputP90Last30m, stats.ThroughputP99Last30m)
                : null);
    }

    internal static ArchitectureResponse ToArchitecture(Model model) => new(
        Modality: Modality(model.InputModalities, model.OutputModalities),
        InputModalities: model.InputModalities,
        OutputModalities: model.OutputModalities,
        Tokenizer: model.Tokenizer,
        InstructType: model.InstructType);

    /// <summary>
    /// OpenRouter's summary string, e.g. "text+image->text": only text and image count on the input side
    /// (file and audio inputs appear in <c>input_modalities</c> alone).
    /// </summary>
    internal static string Modality(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        string[] summarised = [.. inputs.Where(input => input is "text" or "image")];
        return $"{string.Join('+', summarised.Length > 0 ? summarised : inputs)}->{string.Join('+', outputs)}";
    }

    internal static PricingResponse ToPricing(ModelEndpoint endpoint, bool includeDiscount) => new(
        Prompt: FormatUsd(endpoint.PromptPrice),
        Completion: FormatUsd(endpoint.CompletionPrice),
        Request: FormatUsd(endpoint.RequestPrice),
        Image: FormatUsd(endpoint.ImagePrice),
        InternalReasoning: FormatUsd(endpoint.InternalReasoningPrice),
        InputCacheRead: endpoint.InputCacheReadPrice is { } read ? FormatUsd(read) : null,
        InputCacheWrite: endpoint.InputCacheWritePrice is { } write ? FormatUsd(write) : null,
        Discount: includeDiscount ? Snapshot.CatalogSnapshotBuilder.Normalize(endpoint.Discount) : null);

    /// <summary>Prices go out as plain decimal strings, as OpenRouter sends them ("0.0000025", never "2.5E-06").</summary>
    internal static string FormatUsd(decimal usd) => usd.ToString("0.############################", CultureInfo.InvariantCulture);
}
