using System.Globalization;
using Catalog.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Service.Models;

/// <summary>OpenRouter's read API for models, served behind the gateway at /api/v1.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/models", GetModelsAsync);
        api.MapGet("/providers", GetProvidersAsync);
        return app;
    }

    public static async Task<Ok<ModelListResponse>> GetModelsAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var models = await db.Models
            .AsNoTracking()
            .Include(model => model.Endpoints.Where(endpoint => endpoint.IsEnabled && endpoint.Provider!.IsEnabled))
            .Where(model => model.Endpoints.Any(endpoint => endpoint.IsEnabled && endpoint.Provider!.IsEnabled))
            .OrderByDescending(model => model.CreatedAt)
            .ThenBy(model => model.Id)
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new ModelListResponse([.. models.Select(ToResponse)]));
    }

    public static async Task<Ok<ProviderListResponse>> GetProvidersAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var providers = await db.Providers
            .AsNoTracking()
            .Where(provider => provider.IsEnabled)
            .OrderBy(provider => provider.Name)
            .Select(provider => new ProviderResponse(provider.Name, provider.Slug))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProviderListResponse(providers));
    }

    internal static ModelResponse ToResponse(Model model)
    {
        // The cheapest endpoint is the one the default router prefers, so it speaks for the model.
        var top = model.Endpoints.MinBy(endpoint => endpoint.PromptPrice + endpoint.CompletionPrice)!;
        return new ModelResponse(
            Id: model.Id,
            CanonicalSlug: model.Id,
            Name: model.Name,
            Created: model.CreatedAt.ToUnixTimeSeconds(),
            Description: model.Description,
            ContextLength: model.ContextLength,
            Architecture: new ArchitectureResponse(
                Modality: $"{string.Join('+', model.InputModalities)}->{string.Join('+', model.OutputModalities)}",
                InputModalities: model.InputModalities,
                OutputModalities: model.OutputModalities,
                Tokenizer: model.Tokenizer,
                InstructType: model.InstructType),
            Pricing: new PricingResponse(
                Prompt: FormatUsd(top.PromptPrice),
                Completion: FormatUsd(top.CompletionPrice),
                Request: FormatUsd(top.RequestPrice),
                Image: FormatUsd(0m)),
            TopProvider: new TopProviderResponse(top.ContextLength, top.MaxCompletionTokens, top.IsModerated),
            PerRequestLimits: null,
            SupportedParameters: [.. model.Endpoints.SelectMany(endpoint => endpoint.SupportedParameters).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>Prices go out as plain decimal strings, as OpenRouter sends them ("0.0000025", never "2.5E-06").</summary>
    internal static string FormatUsd(decimal usd) => usd.ToString("0.############################", CultureInfo.InvariantCulture);
}
