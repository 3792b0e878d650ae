using System.Globalization;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Payments;

/// <summary>
/// What a top-up costs: the credits bought plus the platform fee, all in whole cents (what Stripe charges) and
/// exactly the same amounts in nano-dollars (what the ledger books).
/// </summary>
public sealed record TopUpQuote(long AmountCents, long FeeCents)
{
    public long TotalCents => AmountCents + FeeCents;

    public long CreditsNanos => AmountCents * TopUpPricing.NanosPerCent;

    public long FeeNanos => FeeCents * TopUpPricing.NanosPerCent;

    public decimal AmountUsd => TopUpPricing.ToUsd(AmountCents);

    public decimal FeeUsd => TopUpPricing.ToUsd(FeeCents);

    public decimal TotalUsd => TopUpPricing.ToUsd(TotalCents);
}

public static class TopUpPricing
{
    public const long NanosPerCent = Nanos.PerUsd / 100;

    /// <summary>The fee: the percentage of the amount rounded half up to a cent, but never below the minimum.</summary>
    public static long FeeCents(long amountCents, decimal feePercent, long minimumFeeCents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountCents);
        var percentage = (long)decimal.Round(amountCents * feePercent / 100m, 0, MidpointRounding.AwayFromZero);
        return Math.Max(minimumFeeCents, percentage);
    }

    public static TopUpQuote Quote(long amountCents, decimal feePercent, long minimumFeeCents)
        => new(amountCents, FeeCents(amountCents, feePercent, minimumFeeCents));

    public static TopUpQuote Quote(long amountCents, StripeOptions options)
        => Quote(amountCents, options.FeePercent, ToCents(options.MinimumFeeUsd));

    /// <summary>False when the amount has fractions of a cent (or is out of any sane range).</summary>
    public static bool TryToCents(decimal usd, out long cents)
    {
        cents = 0;
        var scaled = usd * 100m;
        if (scaled != decimal.Truncate(scaled) || Math.Abs(scaled) > long.MaxValue / NanosPerCent)
        {
            return false;
        }
        cents = (long)scaled;
        return true;
    }

    public static long ToCents(decimal usd)
        => TryToCents(usd, out var cents) ? cents : throw new ArgumentException("The amount must be whole cents", nameof(usd));

    public static decimal ToUsd(long cents) => cents / 100m;

    /// <summary>Why a requested top-up cannot be bought, or null when it can.</summary>
    public static string? Validate(decimal? amountUsd, StripeOptions options, out long amountCents)
    {
        amountCents = 0;
        if (amountUsd is not { } amount || !TryToCents(amount, out amountCents)
            || amountCents < ToCents(options.MinimumTopUpUsd) || amountCents > ToCents(options.MaximumTopUpUsd))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"'amount_usd' must be between {options.MinimumTopUpUsd:0.00} and {options.MaximumTopUpUsd:0.00} USD, in whole cents");
        }
        return null;
    }
}
