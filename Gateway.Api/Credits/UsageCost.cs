using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;

namespace Gateway.Api.Credits;

/// <summary>
/// The exact provider price of a generation, in decimal USD and rounded once to whole nano-dollars: uncached
/// prompt tokens at the prompt price, cache reads and writes at their own prices when the endpoint has them,
/// completion tokens at the completion price (reasoning tokens at the internal-reasoning price when there is
/// one), plus the per-request price, less the endpoint's discount.
/// </summary>
public static class UsageCost
{
    public static long Compute(SnapshotPricing pricing, TokenUsage usage)
    {
        var cached = Math.Min(usage.CachedTokens, usage.PromptTokens);
        var cacheWrites = Math.Min(usage.CacheWriteTokens, usage.PromptTokens - cached);
        var uncached = usage.PromptTokens - cached - cacheWrites;
        var reasoning = pricing.InternalReasoning > 0 ? Math.Min(usage.ReasoningTokens ?? 0, usage.CompletionTokens) : 0;

        var usd = uncached * pricing.Prompt
            + cached * (pricing.InputCacheRead ?? pricing.Prompt)
            + cacheWrites * (pricing.InputCacheWrite ?? pricing.Prompt)
            + (usage.CompletionTokens - reasoning) * pricing.Completion
            + reasoning * pricing.InternalReasoning
            + pricing.Request;
        return Nanos.FromUsd(usd * (1 - pricing.Discount));
    }

    /// <summary>The most completion tokens <paramref name="budgetNanos"/> pays for after the prompt; null when any number would do (free).</summary>
    public static long? AffordableCompletionTokens(SnapshotPricing pricing, int promptTokens, long budgetNanos)
    {
        var completionPrice = pricing.Completion * (1 - pricing.Discount);
        if (completionPrice <= 0)
        {
            return null;
        }
        var left = Nanos.ToUsd(budgetNanos - Compute(pricing, new TokenUsage(promptTokens, 0)));
        var tokens = left <= 0 ? 0 : (int)Math.Min(int.MaxValue, decimal.Floor(left / completionPrice));
        // Rounding the total once can land a nano-dollar above the budget: step back until it fits.
        while (tokens > 0 && Compute(pricing, new TokenUsage(promptTokens, tokens)) > budgetNanos)
        {
            tokens--;
        }
        return tokens;
    }
}
