namespace OpenRouterClone.Shared.Credits;

/// <summary>
/// Money is integer nano-dollars (1 USD = 1,000,000,000) everywhere in code, Redis and Postgres; USD decimals
/// appear only at the API edge, as OpenRouter shows them.
/// </summary>
public static class Nanos
{
    public const long PerUsd = 1_000_000_000L;

    /// <summary>Converts USD to nano-dollars, rounding half to even (banker's) below a nano-dollar.</summary>
    public static long FromUsd(decimal usd) => checked((long)decimal.Round(usd * PerUsd, MidpointRounding.ToEven));

    public static decimal ToUsd(long nanos) => (decimal)nanos / PerUsd;
}
