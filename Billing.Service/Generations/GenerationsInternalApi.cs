using System.Globalization;
using Billing.Service.Accounts;
using Billing.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Shared;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Generations;

/// <summary>
/// The portal's usage dashboard: an owner's generations (filtered, paged, newest first), one generation, and
/// per-day, per-model and per-key totals for a period. Every query is scoped to the owner's account, so another
/// owner's generation is simply not found. Aggregates are grouped in Postgres (on the indexed UTC day).
/// </summary>
public static class GenerationsInternalApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int DefaultPeriodDays = 30;
    public const int MaxPeriodDays = 366;
    private const int MaxTopKeys = 50;

    public static IEndpointRouteBuilder MapGenerationsInternalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/accounts/{ownerUserId}");
        api.MapGet("/generations", ListGenerationsAsync);
        api.MapGet("/generations/{id}", GetGenerationAsync);
        api.MapGet("/usage", GetUsageAsync);
        return app;
    }

    public static async Task<Results<Ok<PortalGenerationPage>, JsonHttpResult<ErrorResponse>>> ListGenerationsAsync(
        string ownerUserId, string? model, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "key_hash")] string? keyHash,
        string? from, string? to, string? offset, string? limit,
        BillingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ParsePeriod(from, to, clock, out var period) is { } periodError)
        {
            return periodError;
        }
        if (!TryParseInt(offset, 0, out var skip) || skip < 0)
        {
            return ApiError.BadRequest("'offset' must be a whole number of at least 0");
        }
        if (!TryParseInt(limit, DefaultLimit, out var take) || take < 1 || take > MaxLimit)
        {
            return ApiError.BadRequest($"'limit' must be between 1 and {MaxLimit}");
        }
        if (await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }

        var (start, end) = (ToInstant(period.From), ToInstant(period.To.AddDays(1)));
        var query = db.Generations.AsNoTracking()
            .Where(generation => generation.AccountId == account.Id && generation.CreatedAt >= start && generation.CreatedAt < end);
        if (!string.IsNullOrWhiteSpace(model))
        {
            query = query.Where(generation => generation.Model == model);
        }
        if (!string.IsNullOrWhiteSpace(keyHash))
        {
            // Only the owner's own keys: another account's hash filters everything out.
            var keyId = await db.ApiKeys.AsNoTracking()
                .Where(key => key.AccountId == account.Id && key.Hash == keyHash)
                .Select(key => (Guid?)key.Id)
                .SingleOrDefaultAsync(cancellationToken);
            if (keyId is null)
            {
                return TypedResults.Ok(new PortalGenerationPage([], 0, skip, take));
            }
            query = query.Where(generation => generation.ApiKeyId == keyId.Value);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(generation => generation.CreatedAt).ThenByDescending(generation => generation.Id)
            .Skip(skip).Take(take)
            .ToListAsync(cancellationToken);
        var keys = await KeysByIdAsync(db, account.Id, rows.Select(row => row.ApiKeyId), cancellationToken);
        return TypedResults.Ok(new PortalGenerationPage([.. rows.Select(row => ToPortal(row, keys))], total, skip, take));
    }

    public static async Task<Results<Ok<PortalGenerationEnvelope>, JsonHttpResult<ErrorResponse>>> GetGenerationAsync(
        string ownerUserId, string id, BillingDbContext db, CancellationToken cancellationToken)
    {
        if (await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }
        var generation = await db.Generations.AsNoTracking()
            .SingleOrDefaultAsync(candidate => candidate.Id == id && candidate.AccountId == account.Id, cancellationToken);
        if (generation is null)
        {
            return ApiError.NotFound($"Generation {id} not found");
        }
        var keys = await KeysByIdAsync(db, account.Id, [generation.ApiKeyId], cancellationToken);
        return TypedResults.Ok(new PortalGenerationEnvelope(ToPortal(generation, keys)));
    }

    public static async Task<Results<Ok<UsageReportEnvelope>, JsonHttpResult<ErrorResponse>>> GetUsageAsync(
        string ownerUserId, string? from, string? to, BillingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ParsePeriod(from, to, clock, out var period) is { } periodError)
        {
            return periodError;
        }
        if (await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountNotFound();
        }

        var (first, last) = (period.From, period.To);
        var scoped = db.Generations.AsNoTracking()
            .Where(generation => generation.AccountId == account.Id && generation.CreatedDay >= first && generation.CreatedDay <= last);

        var days = await scoped
            .GroupBy(generation => generation.CreatedDay)
            .Select(group => new
            {
                Day = group.Key,
                Cost = group.Sum(generation => generation.CostNanos),
                Requests = group.Count(),
                Prompt = group.Sum(generation => (long)generation.PromptTokens),
                Completion = group.Sum(generation => (long)generation.CompletionTokens),
                Reasoning = group.Sum(generation => (long)generation.ReasoningTokens),
            })
            .ToDictionaryAsync(row => row.Day, cancellationToken);

        var models = await scoped
            .GroupBy(generation => generation.Model)
            .Select(group => new
            {
                Model = group.Key,
                Cost = group.Sum(generation => generation.CostNanos),
                Requests = group.Count(),
                Prompt = group.Sum(generation => (long)generation.PromptTokens),
                Completion = group.Sum(generation => (long)generation.CompletionTokens),
            })
            .OrderByDescending(row => row.Cost).ThenByDescending(row => row.Requests).ThenBy(row => row.Model)
            .ToListAsync(cancellationToken);

        var byKey = await scoped
            .GroupBy(generation => generation.ApiKeyId)
            .Select(group => new
            {
                KeyId = group.Key,
                Cost = group.Sum(generation => generation.CostNanos),
                Requests = group.Count(),
                Prompt = group.Sum(generation => (long)generation.PromptTokens),
                Completion = group.Sum(generation => (long)generation.CompletionTokens),
            })
            .OrderByDescending(row => row.Cost).ThenByDescending(row => row.Requests)
            .Take(MaxTopKeys)
            .ToListAsync(cancellationToken);
        var keys = await KeysByIdAsync(db, account.Id, byKey.Select(row => row.KeyId), cancellationToken);

        var daily = new List<UsageByDay>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            daily.Add(days.TryGetValue(day, out var row)
                ? new UsageByDay(day, Nanos.ToUsd(row.Cost), row.Requests, row.Prompt, row.Completion, row.Reasoning)
                : new UsageByDay(day, 0, 0, 0, 0, 0));
        }
        var totals = new UsageTotals(
            Nanos.ToUsd(days.Values.Sum(row => row.Cost)),
            days.Values.Sum(row => row.Requests),
            days.Values.Sum(row => row.Prompt),
            days.Values.Sum(row => row.Completion),
            days.Values.Sum(row => row.Reasoning));

        return TypedResults.Ok(new UsageReportEnvelope(new UsageReport(
            first,
            last,
            totals,
            daily,
            [.. models.Select(row => new UsageByModel(row.Model, Nanos.ToUsd(row.Cost), row.Requests, row.Prompt, row.Completion))],
            [.. byKey.Select(row =>
            {
                var key = keys.GetValueOrDefault(row.KeyId);
                return new UsageByKey(key?.Hash, key?.Name, key?.Label, Nanos.ToUsd(row.Cost), row.Requests, row.Prompt, row.Completion);
            })])));
    }

    /// <summary>An inclusive range of UTC days; both ends optional (default: the last 30 days up to today).</summary>
    public readonly record struct Period(DateOnly From, DateOnly To);

    private static JsonHttpResult<ErrorResponse>? ParsePeriod(string? from, string? to, TimeProvider clock, out Period period)
    {
        period = default;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly last = today, first;
        if (to is not null && !TryParseDay(to, out last))
        {
            return ApiError.BadRequest("'to' must be a UTC day as YYYY-MM-DD");
        }
        if (from is null)
        {
            first = last.AddDays(1 - DefaultPeriodDays);
        }
        else if (!TryParseDay(from, out first))
        {
            return ApiError.BadRequest("'from' must be a UTC day as YYYY-MM-DD");
        }
        if (first > last)
        {
            return ApiError.BadRequest("'from' must not be after 'to'");
        }
        if (last.DayNumber - first.DayNumber + 1 > MaxPeriodDays)
        {
            return ApiError.BadRequest($"The period must be at most {MaxPeriodDays} days");
        }
        period = new Period(first, last);
        return null;
    }

    private static bool TryParseDay(string value, out DateOnly day)
        => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static bool TryParseInt(string? value, int fallback, out int result)
    {
        if (string.IsNullOrEmpty(value))
        {
            result = fallback;
            return true;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    private static DateTimeOffset ToInstant(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private sealed record KeyInfo(string Hash, string Name, string Label);

    /// <summary>The account's keys among <paramref name="keyIds"/>; deleted keys are absent.</summary>
    private static async Task<Dictionary<Guid, KeyInfo>> KeysByIdAsync(
        BillingDbContext db, Guid accountId, IEnumerable<Guid> keyIds, CancellationToken cancellationToken)
    {
        var ids = keyIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        return await db.ApiKeys.AsNoTracking()
            .Where(key => key.AccountId == accountId && ids.Contains(key.Id))
            .ToDictionaryAsync(key => key.Id, key => new KeyInfo(key.Hash, key.Name, key.Label), cancellationToken);
    }

    private static PortalGeneration ToPortal(Generation generation, Dictionary<Guid, KeyInfo> keys)
    {
        var key = keys.GetValueOrDefault(generation.ApiKeyId);
        return new PortalGeneration(
            Id: generation.Id,
            CreatedAt: generation.CreatedAt,
            Model: generation.Model,
            ProviderName: generation.ProviderName,
            KeyHash: key?.Hash,
            KeyName: key?.Name,
            KeyLabel: key?.Label,
            TokensPrompt: generation.PromptTokens,
            TokensCompletion: generation.CompletionTokens,
            TokensReasoning: generation.ReasoningTokens,
            TokensCached: generation.CachedTokens,
            TotalCost: Nanos.ToUsd(generation.CostNanos),
            UpstreamInferenceCost: Nanos.ToUsd(generation.UpstreamCostNanos),
            IsByok: generation.IsByok,
            Latency: generation.LatencyMs,
            TimeToFirstToken: generation.TimeToFirstTokenMs,
            GenerationTime: generation.GenerationTimeMs,
            FinishReason: generation.FinishReason,
            NativeFinishReason: generation.NativeFinishReason,
            Streamed: generation.Streamed,
            Cancelled: generation.Cancelled,
            AppTitle: generation.AppTitle,
            SearchResults: generation.SearchResults,
            SearchFee: Nanos.ToUsd(generation.SearchFeeNanos));
    }

    private static JsonHttpResult<ErrorResponse> AccountNotFound() => AccountsApi.AccountNotFound();
}
