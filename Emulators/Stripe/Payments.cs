using System.Collections.Concurrent;
using System.Text.Json;
using Emulators.Common;

namespace Emulators.Stripe;

/// <summary>
/// The charges of paid sessions, keyed by payment intent, and what happens to them afterwards: refunds
/// (<c>charge.refunded</c>) and disputes (<c>charge.dispute.created</c>).
/// </summary>
public sealed class Payments(StripeEvents events, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Charge> _chargesByPaymentIntent = new();

    // Refunds read and then replace a charge; the lock keeps two refunds from both passing the amount check.
    private readonly Lock _gate = new();

    /// <summary>Records the payment of a just-completed session and returns its payment intent id.</summary>
    public string RecordPayment(CheckoutSession session)
    {
        var charge = new Charge
        {
            Id = RandomIds.Create("ch_", 24),
            Amount = session.AmountTotal,
            AmountRefunded = 0,
            Currency = session.Currency,
            Disputed = false,
            PaymentIntent = RandomIds.Create("pi_", 24),
            Created = timeProvider.GetUtcNow().ToUnixTimeSeconds(),
        };
        _chargesByPaymentIntent[charge.PaymentIntent] = charge;
        return charge.PaymentIntent;
    }

    /// <summary>Refunds <paramref name="amount"/> (default: all that is left) of the payment intent's charge.</summary>
    public (Refund? Refund, StripeError? Error) Refund(string paymentIntent, long? amount, string? reason, string? idempotencyKey)
    {
        Refund refund;
        Charge refunded;
        lock (_gate)
        {
            if (!_chargesByPaymentIntent.TryGetValue(paymentIntent, out var charge))
            {
                return (null, StripeErrors.NoSuch("payment_intent", "payment_intent", paymentIntent));
            }
            var refundable = charge.Amount - charge.AmountRefunded;
            if (refundable == 0)
            {
                return (null, new StripeError("invalid_request_error", $"Charge {charge.Id} has already been refunded.", Code: "charge_already_refunded"));
            }
            if (amount > refundable)
            {
                return (null, StripeErrors.InvalidParam("amount", $"Refund amount ({amount}) is greater than unrefunded amount on charge ({refundable})."));
            }

            refund = new Refund
            {
                Id = RandomIds.Create("re_", 24),
                Amount = amount ?? refundable,
                Charge = charge.Id,
                Currency = charge.Currency,
                PaymentIntent = paymentIntent,
                Reason = reason,
                Created = timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            };
            refunded = charge with { AmountRefunded = charge.AmountRefunded + refund.Amount };
            _chargesByPaymentIntent[paymentIntent] = refunded;
        }
        events.Publish("charge.refunded", JsonSerializer.SerializeToElement(refunded, StripeJsonContext.Default.Charge), idempotencyKey);
        return (refund, null);
    }

    /// <summary>Opens a dispute over <paramref name="amount"/> (default: the whole charge), as a customer's bank would.</summary>
    public (Dispute? Dispute, StripeError? Error) OpenDispute(string paymentIntent, long? amount, string? reason)
    {
        Charge disputed;
        lock (_gate)
        {
            if (!_chargesByPaymentIntent.TryGetValue(paymentIntent, out var charge))
            {
                return (null, StripeErrors.NoSuch("payment_intent", "payment_intent", paymentIntent));
            }
            if (amount is < 1 || amount > charge.Amount)
            {
                return (null, StripeErrors.InvalidParam("amount", $"Invalid amount: must be between 1 and the charge's {charge.Amount}."));
            }
            disputed = charge with { Disputed = true };
            _chargesByPaymentIntent[paymentIntent] = disputed;
        }
        var dispute = new Dispute
        {
            Id = RandomIds.Create("dp_", 24),
            Amount = amount ?? disputed.Amount,
            Charge = disputed.Id,
            Currency = disputed.Currency,
            PaymentIntent = paymentIntent,
            Reason = reason ?? "fraudulent",
            Created = timeProvider.GetUtcNow().ToUnixTimeSeconds(),
        };
        events.Publish("charge.dispute.created", JsonSerializer.SerializeToElement(dispute, StripeJsonContext.Default.Dispute));
        return (dispute, null);
    }
}
