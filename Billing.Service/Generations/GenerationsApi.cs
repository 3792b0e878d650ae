using System.Globalization;
using Billing.Service.Data;
using Billing.Service.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Shared;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Generations;

/// <summary>
/// OpenRouter's request-log APIs for the account behind the calling key: one generation by id, and daily
/// activity by model and endpoint. Another account's generation is simply not found.
/// </summary>
public static class GenerationsApi
{
    private const int ActivityDays = 30;

    public static IEndpointRouteBuilder MapGenerationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter<ApiKeyAuthenticationFilter>();
        api.MapGet("/generation", GetGenerationAsync);
        api.MapGet("/activity", GetActivityAsync);
        return app;
    }

    public static async Task<Results<Ok<GenerationEnvelope>, JsonHttpResult<ErrorResponse>>> GetGenerationAsync(
        string? id, HttpContext context, BillingDbContext db)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return ApiError.BadRequest("Query parameter 'id' is required");
        }
        var accountId = AuthenticatedApiKey.From(context).AccountId;
        var generation = await db.Generations.AsNoTracking()
            .SingleOrDefaultAsync(candidate => candidate.Id == id && candidate.AccountId == accountId, context.RequestAborted);
        return generation is null
            ? ApiError.NotFound($"Generation {id} not found")
            : TypedResults.Ok(new GenerationEnvelope(ToResponse(generation)));
    }

    public static async Task<Results<Ok<ActivityEnvelope>, JsonHttpResult<ErrorResponse>>> GetActivityAsync(
        string? date, HttpContext context, BillingDbContext db, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = today.AddDays(1 - ActivityDays);
        var to = today;
        if (date is not null)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return ApiError.BadRequest("'date' must be a UTC day as YYYY-MM-DD");
            }
            if (day < from || day > to)
            {
                return ApiError.BadRequest($"'date' must be within the last {ActivityDays} days");
            }
            (from, to) = (day, day);
        }

        var accountId = AuthenticatedApiKey.From(context).AccountId;
        var rows = await db.Generations.AsNoTracking()
            .Where(generation => generation.AccountId == accountId && generation.CreatedDay >= from && generation.CreatedDay <= to)
            .GroupBy(generation => new
            {
                Day = generation.CreatedDay,
                generation.Model,
                generation.EndpointId,
                generation.ProviderName,
            })
            .Select(group => new
            {
                group.Key,
                Usage = group.Sum(generation => generation.IsByok ? 0 : generation.CostNanos),
                ByokUsage = group.Sum(generation => generation.IsByok ? generation.UpstreamCostNanos : 0),
                Requests = group.Count(),
                Prompt = group.Sum(generation => (long)generation.PromptTokens),
                Completion = group.Sum(generation => (long)generation.CompletionTokens),
                Reasoning = group.Sum(generation => (long)generation.ReasoningTokens),
            })
            .ToListAsync(context.RequestAborted);

        var items = rows
            .OrderByDescending(row => row.Key.Day).ThenBy(row => row.Key.Model, StringComparer.Ordinal).ThenBy(row => row.Key.EndpointId)
            .Select(row => new ActivityItem(
                Date: row.Key.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Model: row.Key.Model,
                ModelPermaslug: row.Key.Model,
                EndpointId: row.Key.EndpointId.ToString(CultureInfo.InvariantCulture),
                ProviderName: row.Key.ProviderName,
                Usage: Nanos.ToUsd(row.Usage),
                ByokUsageInference: Nanos.ToUsd(row.ByokUsage),
                Requests: row.Requests,
                PromptTokens: row.Prompt,
                CompletionTokens: row.Completion,
                ReasoningTokens: row.Reasoning))
            .ToList();
        return TypedResults.Ok(new ActivityEnvelope(items));
    }

    internal static GenerationResponse ToResponse(Generation generation) => new(
        Id: generation.Id,
        TotalCost: Nanos.ToUsd(generation.CostNanos),
        CacheDiscount: 0,
        UpstreamInferenceCost: Nanos.ToUsd(generation.UpstreamCostNanos),
        CreatedAt: generation.CreatedAt,
        Model: generation.Model,
        AppId: generation.AppTitle ?? generation.AppReferer,
        Streamed: generation.Streamed,
        Cancelled: generation.Cancelled,
        ProviderName: generation.ProviderName,
        Latency: generation.LatencyMs,
        ModerationLatency: null,
        GenerationTime: generation.GenerationTimeMs,
        FinishReason: generation.FinishReason,
        NativeFinishReason: generation.NativeFinishReason,
        TokensPrompt: generation.PromptTokens,
        TokensCompletion: generation.CompletionTokens,
        NativeTokensPrompt: generation.PromptTokens,
        NativeTokensCompletion: generation.CompletionTokens,
        NativeTokensReasoning: generation.ReasoningTokens,
        NativeTokensCached: generation.CachedTokens,
        NumMediaPrompt: 0,
        NumMediaCompletion: 0,
        NumSearchResults: generation.SearchResults,
        Origin: generation.AppReferer ?? "",
        Usage: Nanos.ToUsd(generation.CostNanos),
        IsByok: generation.IsByok,
        UpstreamId: generation.UpstreamId,
        TimeToFirstToken: generation.TimeToFirstTokenMs);
}
