using Billing.Service.Ledger;

namespace Billing.Service.Payments;

public enum CompletionVerdict
{
    /// <summary>Paid, for the amount and currency that were asked for: credit it.</summary>
    Credit,
    /// <summary>Completed but not paid yet (a delayed payment method): wait for <c>async_payment_succeeded</c>.</summary>
    NotPaidYet,
    /// <summary>The session does not match what was stored: never credit it.</summary>
    Mismatch,
}

/// <summary>The money left to take back from a payment: credits from the customer and fee from the platform.</summary>
public sealed record Reversal(long CreditsNanos, long FeeNanos, long ReversedCentsAfter)
{
    public long MoneyNanos => CreditsNanos + FeeNanos;
}

/// <summary>The pure rules of the Stripe webhook: when a session earns credits and how refunds and disputes take them back.</summary>
public static class PaymentRules
{
    public static CompletionVerdict CheckCompletion(Payment payment, long? amountTotal, string? currency, string? paymentStatus, string? clientReferenceId)
    {
        if (amountTotal != payment.TotalCents
            || !string.Equals(currency, payment.Currency, StringComparison.OrdinalIgnoreCase)
            || (clientReferenceId is not null && clientReferenceId != payment.AccountId.ToString()))
        {
            return CompletionVerdict.Mismatch;
        }
        return paymentStatus == "paid" ? CompletionVerdict.Credit : CompletionVerdict.NotPaidYet;
    }

    /// <summary>
    /// What a refund that brings the charge's refunded total to <paramref name="amountRefundedCents"/> takes back,
    /// or null when that much (or more) is already reversed: each step counts once, in any order. The refunded
    /// money is split between credits and fee in the proportion they were bought; a full refund reverses both exactly.
    /// </summary>
    public static Reversal? ForRefund(Payment payment, long amountRefundedCents)
    {
        var refunded = Math.Min(amountRefundedCents, payment.TotalCents);
        if (refunded <= payment.ReversedCents)
        {
            return null;
        }
        var creditsTarget = refunded == payment.TotalCents
            ? payment.CreditsNanos
            : (long)decimal.Round((decimal)payment.CreditsNanos * refunded / payment.TotalCents, MidpointRounding.AwayFromZero);
        var credits = Math.Max(0, creditsTarget - payment.ReversedCreditsNanos);
        var money = (refunded - payment.ReversedCents) * TopUpPricing.NanosPerCent;
        var fee = Math.Clamp(money - credits, 0, payment.FeeNanos - payment.ReversedFeeNanos);
        credits = money - fee;
        return new Reversal(credits, fee, refunded);
    }

    /// <summary>A dispute takes back everything not reversed yet; null when nothing is left.</summary>
    public static Reversal? ForDispute(Payment payment)
    {
        var credits = payment.CreditsNanos - payment.ReversedCreditsNanos;
        var fee = payment.FeeNanos - payment.ReversedFeeNanos;
        return credits + fee <= 0 ? null : new Reversal(credits, fee, payment.TotalCents);
    }

    /// <summary>The top-up: clearing pays out the credits to the customer and the fee to the platform.</summary>
    public static IReadOnlyList<LedgerPostingEntry> TopUpEntries(Payment payment) =>
    [
        new(LedgerBook.CustomerCredits, payment.CreditsNanos, payment.AccountId),
        new(LedgerBook.PlatformRevenue, payment.FeeNanos),
        new(LedgerBook.PaymentClearing, -(payment.CreditsNanos + payment.FeeNanos)),
    ];

    /// <summary>A reversal: the money goes back to clearing from the customer's credits and the platform's fee.</summary>
    public static IReadOnlyList<LedgerPostingEntry> ReversalEntries(Guid accountId, Reversal reversal)
    {
        var entries = new List<LedgerPostingEntry>(3);
        if (reversal.CreditsNanos != 0)
        {
            entries.Add(new(LedgerBook.CustomerCredits, -reversal.CreditsNanos, accountId));
        }
        if (reversal.FeeNanos != 0)
        {
            entries.Add(new(LedgerBook.PlatformRevenue, -reversal.FeeNanos));
        }
        entries.Add(new(LedgerBook.PaymentClearing, reversal.MoneyNanos));
        return entries;
    }

    /// <summary>The payment after a reversal was posted.</summary>
    public static void Apply(Payment payment, Reversal reversal)
    {
        payment.ReversedCents = reversal.ReversedCentsAfter;
        payment.ReversedCreditsNanos += reversal.CreditsNanos;
        payment.ReversedFeeNanos += reversal.FeeNanos;
    }
}
