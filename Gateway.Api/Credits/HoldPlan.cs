using Gateway.Api.Routing;
using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;

namespace Gateway.Api.Credits;

/// <summary>
/// How much to hold before calling upstream, and how much of the hold each endpoint may then spend.
/// The prompt is bounded from above by the request's size (no tokenizer makes fewer than one token per two
/// bytes of JSON for real text), so the actual charge stays within the hold and the balance never drops
/// below its floor.
/// </summary>
/// <param name="SurchargeNanos">A fixed charge on top of the tokens (the web search's fee at most): part of both bounds, never spent on tokens.</param>
public sealed record HoldPlan(long MinimumNanos, long MaximumNanos, int PromptTokenBound, int? RequestedMaxTokens, long SurchargeNanos = 0)
{
    public static int PromptTokenBoundFor(int requestBytes) => (requestBytes + 1) / 2;

    /// <summary>
    /// At least what the cheapest endpoint needs for the prompt and a few completion tokens (or the requested
    /// <c>max_tokens</c>); at most the worst case over all endpoints.
    /// </summary>
    public static HoldPlan For(IReadOnlyList<RouteCandidate> candidates, int requestBytes, int? requestedMaxTokens, CreditOptions options, long surchargeNanos = 0)
    {
        var promptBound = PromptTokenBoundFor(requestBytes);
        if (candidates.Count == 0)
        {
            return new HoldPlan(0, 0, promptBound, requestedMaxTokens, surchargeNanos);
        }
        // Per endpoint the least is never above the cap, so the minimum never exceeds the maximum.
        long Cost(RouteCandidate candidate, bool worstCase)
        {
            var cap = CompletionCap(candidate.Endpoint, promptBound, requestedMaxTokens, options);
            var completion = worstCase ? cap : requestedMaxTokens ?? Math.Min(options.MinimumCompletionTokens, cap);
            return UsageCost.Compute(candidate.ChargedPricing, new TokenUsage(promptBound, completion));
        }
        return new HoldPlan(
            candidates.Min(candidate => Cost(candidate, worstCase: false)) + surchargeNanos,
            candidates.Max(candidate => Cost(candidate, worstCase: true)) + surchargeNanos,
            promptBound, requestedMaxTokens, surchargeNanos);
    }

    /// <summary>
    /// Whether an endpoint fits in the granted hold, and the <c>max_tokens</c> to send it: unchanged when the
    /// worst case fits, lowered to what the hold pays for when the caller set no limit, and refused (null)
    /// when even the minimum, or the caller's own <c>max_tokens</c>, does not fit.
    /// </summary>
    public EndpointBudget? BudgetFor(RouteCandidate candidate, long grantedNanos, CreditOptions options)
    {
        // The surcharge is spent whatever the endpoint: only the rest pays for tokens.
        grantedNanos -= SurchargeNanos;
        if (grantedNanos < 0)
        {
            return null;
        }
        var pricing = candidate.ChargedPricing;
        var cap = CompletionCap(candidate.Endpoint, PromptTokenBound, RequestedMaxTokens, options);
        if (UsageCost.Compute(pricing, new TokenUsage(PromptTokenBound, cap)) <= grantedNanos)
        {
            return new EndpointBudget(LoweredMaxTokens: null);
        }
        if (RequestedMaxTokens is not null)
        {
            return null;
        }
        var affordable = UsageCost.AffordableCompletionTokens(pricing, PromptTokenBound, grantedNanos) ?? cap;
        return affordable >= Math.Min(options.MinimumCompletionTokens, cap) ? new EndpointBudget((int)Math.Min(affordable, cap)) : null;
    }

    private static int CompletionCap(SnapshotEndpoint endpoint, int promptBound, int? requestedMaxTokens, CreditOptions options)
    {
        if (requestedMaxTokens is { } requested)
        {
            return requested;
        }
        var room = Math.Max(1, endpoint.ContextLength - promptBound);
        return Math.Min(endpoint.MaxCompletionTokens ?? options.DefaultMaximumCompletionTokens, room);
    }
}

/// <param name="LoweredMaxTokens">The <c>max_tokens</c> to send instead of none, when the hold only pays for that many.</param>
public sealed record EndpointBudget(int? LoweredMaxTokens);
