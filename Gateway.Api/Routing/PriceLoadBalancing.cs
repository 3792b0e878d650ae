namespace Gateway.Api.Routing;

/// <summary>
/// What the default order (no <c>sort</c>, no <c>order</c>, no <c>:floor</c>/<c>:nitro</c>) draws its first
/// endpoint with, as OpenRouter does: among the endpoints without recent failures, one at random weighted by the
/// inverse square of its price (prompt + completion per token), so a provider at twice the price gets a quarter of
/// the traffic; the others follow as fallbacks in ascending price. Injected so the router stays pure: tests pass a
/// seeded source, the gateway <see cref="Random.Shared"/> and its <see cref="EndpointHealth"/>.
/// </summary>
/// <param name="NextUniform">A uniform number in [0, 1).</param>
/// <param name="HasRecentFailures">Whether an endpoint (by id) is to be left out of the draw (its circuit is open).</param>
public sealed record PriceLoadBalancing(Func<double> NextUniform, Func<int, bool> HasRecentFailures)
{
    /// <summary>
    /// The index in <paramref name="byPrice"/> (ascending price) of the endpoint to try first. A free endpoint
    /// (price 0) has an unbounded weight: the cheapest healthy endpoint is then taken without a draw, the first
    /// of the free ones in their given order, so a free route stays as predictable as it is free.
    /// </summary>
    public int DrawFirst(IReadOnlyList<(decimal Price, int EndpointId)> byPrice)
    {
        var healthy = new List<int>(byPrice.Count);
        for (var i = 0; i < byPrice.Count; i++)
        {
            if (!HasRecentFailures(byPrice[i].EndpointId))
            {
                healthy.Add(i);
            }
        }
        if (healthy.Count == 0)
        {
            return 0;
        }
        var cheapest = byPrice[healthy[0]].Price;
        if (healthy.Count == 1 || cheapest <= 0)
        {
            return healthy[0];
        }

        // Weights relative to the cheapest, (cheapest / price)², keep the numbers near 1 whatever the price scale.
        var weights = new double[healthy.Count];
        var total = 0d;
        for (var i = 0; i < healthy.Count; i++)
        {
            var ratio = (double)(cheapest / byPrice[healthy[i]].Price);
            weights[i] = ratio * ratio;
            total += weights[i];
        }
        var target = NextUniform() * total;
        for (var i = 0; i < healthy.Count; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return healthy[i];
            }
        }
        // Rounding left a sliver past the last weight.
        return healthy[^1];
    }
}
