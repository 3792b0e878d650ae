using Gateway.Api.Routing;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared;

namespace Gateway.Api.Byok;

/// <summary>
/// Puts an account's own provider keys into the route: every endpoint of a provider the caller has a key for
/// is tried first with that key, charged only the platform fee on its price; then the original order follows
/// with the platform's keys, unless the caller asked to always use their key for that provider.
/// </summary>
public static class ByokRouting
{
    public static IReadOnlyList<RouteCandidate> Apply(IReadOnlyList<RouteCandidate> candidates, IReadOnlyDictionary<string, ByokSecret> keys, decimal feeRate)
    {
        if (keys.Count == 0 || !candidates.Any(candidate => keys.ContainsKey(candidate.Provider.Slug)))
        {
            return candidates;
        }
        var withOwnKeys = candidates
            .Where(candidate => keys.ContainsKey(candidate.Provider.Slug))
            .Select(candidate => candidate with
            {
                Byok = keys[candidate.Provider.Slug],
                ChargedPricing = FeeOn(candidate.Endpoint.Pricing, feeRate),
            });
        var withPlatformKeys = candidates.Where(candidate => !(keys.TryGetValue(candidate.Provider.Slug, out var key) && key.AlwaysUse));
        return [.. withOwnKeys, .. withPlatformKeys];
    }

    /// <summary>The fee's share of every price, so that the same cost math yields the fee on the equivalent cost.</summary>
    public static SnapshotPricing FeeOn(SnapshotPricing pricing, decimal feeRate) => pricing with
    {
        Prompt = pricing.Prompt * feeRate,
        Completion = pricing.Completion * feeRate,
        Request = pricing.Request * feeRate,
        Image = pricing.Image * feeRate,
        InputCacheRead = pricing.InputCacheRead * feeRate,
        InputCacheWrite = pricing.InputCacheWrite * feeRate,
        InternalReasoning = pricing.InternalReasoning * feeRate,
    };
}
