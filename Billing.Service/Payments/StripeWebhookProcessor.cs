using Billing.Service.Data;
using Billing.Service.Ledger;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Stripe;
using Stripe.Checkout;

namespace Billing.Service.Payments;

public enum WebhookOutcome
{
    /// <summary>Applied now.</summary>
    Processed,
    /// <summary>This event, or the movement it asks for, was applied before: nothing changed.</summary>
    Duplicate,
    /// <summary>Not about a top-up of ours, or nothing to do (recorded when it is about one).</summary>
    Ignored,
}

/// <summary>
/// Applies verified Stripe events. Each ledger posting commits in one transaction with the event's id
/// (<c>stripe_events</c>) and the payment's new state, under a unique reference per movement
/// (<c>stripe:session:{id}</c>, <c>stripe:refund:{charge}:{amount_refunded}</c>, <c>stripe:dispute:{id}</c>), so
/// duplicated, replayed or reordered deliveries move money once.
/// </summary>
public sealed partial class StripeWebhookProcessor(BillingDbContext db, LedgerService ledger, TimeProvider clock, ILogger<StripeWebhookProcessor> logger)
{
    // Two events about one payment at once: the loser's payment update finds a newer row version and starts over.
    private const int MaxAttempts = 3;

    public async Task<WebhookOutcome> HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        if (await db.StripeEvents.AsNoTracking().AnyAsync(existing => existing.Id == stripeEvent.Id, cancellationToken))
        {
            return WebhookOutcome.Duplicate;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                db.ChangeTracker.Clear();
                return await DispatchAsync(stripeEvent, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                LogConcurrentUpdate(logger, stripeEvent.Id);
            }
        }
    }

    private Task<WebhookOutcome> DispatchAsync(Event stripeEvent, CancellationToken cancellationToken) => stripeEvent.Type switch
    {
        EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded when stripeEvent.Data.Object is Session session
            => CompleteAsync(stripeEvent, session, cancellationToken),
        EventTypes.ChargeRefunded when stripeEvent.Data.Object is Charge charge
            => RefundAsync(stripeEvent, charge, cancellationToken),
        EventTypes.ChargeDisputeCreated when stripeEvent.Data.Object is Dispute dispute
            => DisputeAsync(stripeEvent, dispute, cancellationToken),
        _ => Task.FromResult(WebhookOutcome.Ignored),
    };

    private async Task<WebhookOutcome> CompleteAsync(Event stripeEvent, Session session, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(existing => existing.SessionId == session.Id, cancellationToken);
        if (payment is null)
        {
            LogUnknownPayment(logger, stripeEvent.Id, stripeEvent.Type, session.Id);
            return WebhookOutcome.Ignored;
        }

        switch (PaymentRules.CheckCompletion(payment, session.AmountTotal, session.Currency, session.PaymentStatus, session.ClientReferenceId))
        {
            case CompletionVerdict.Mismatch:
                LogMismatch(logger, stripeEvent.Id, session.Id, payment.TotalCents, payment.Currency, session.AmountTotal, session.Currency);
                return await RecordOnlyAsync(stripeEvent, WebhookOutcome.Ignored, cancellationToken);
            case CompletionVerdict.NotPaidYet:
                return await RecordOnlyAsync(stripeEvent, WebhookOutcome.Ignored, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var posting = new LedgerPosting(payment.AccountId, LedgerTransactionKind.TopUp, $"stripe:session:{session.Id}",
            PaymentRules.TopUpEntries(payment), Description: "Stripe top-up");
        var outcome = await ledger.PostAsync(posting, cancellationToken, context =>
        {
            context.StripeEvents.Add(Record(stripeEvent, now));
            Update(context, payment, tracked =>
            {
                if (tracked.Status == PaymentStatus.Pending)
                {
                    tracked.Status = PaymentStatus.Completed;
                }
                tracked.CompletedAt ??= now;
                tracked.PaymentIntentId ??= session.PaymentIntentId;
            });
        });
        if (outcome != PostingOutcome.Posted)
        {
            db.ChangeTracker.Clear();
            return await RecordOnlyAsync(stripeEvent, WebhookOutcome.Duplicate, cancellationToken);
        }
        LogToppedUp(logger, stripeEvent.Id, session.Id, payment.AccountId);
        return WebhookOutcome.Processed;
    }

    private async Task<WebhookOutcome> RefundAsync(Event stripeEvent, Charge charge, CancellationToken cancellationToken)
    {
        var payment = await FindByPaymentIntentAsync(charge.PaymentIntentId, cancellationToken);
        if (payment is null || !string.Equals(charge.Currency, payment.Currency, StringComparison.OrdinalIgnoreCase))
        {
            LogUnknownPayment(logger, stripeEvent.Id, stripeEvent.Type, charge.PaymentIntentId);
            return WebhookOutcome.Ignored;
        }
        if (PaymentRules.ForRefund(payment, charge.AmountRefunded) is not { } reversal)
        {
            return await RecordOnlyAsync(stripeEvent, WebhookOutcome.Duplicate, cancellationToken);
        }
        return await ReverseAsync(stripeEvent, payment, reversal, LedgerTransactionKind.Refund,
            $"stripe:refund:{charge.Id}:{charge.AmountRefunded}", "Stripe refund",
            tracked =>
            {
                if (tracked.ReversedCents >= tracked.TotalCents && tracked.Status != PaymentStatus.Disputed)
                {
                    tracked.Status = PaymentStatus.Refunded;
                }
            },
            cancellationToken);
    }

    private async Task<WebhookOutcome> DisputeAsync(Event stripeEvent, Dispute dispute, CancellationToken cancellationToken)
    {
        var payment = await FindByPaymentIntentAsync(dispute.PaymentIntentId, cancellationToken);
        if (payment is null)
        {
            LogUnknownPayment(logger, stripeEvent.Id, stripeEvent.Type, dispute.PaymentIntentId);
            return WebhookOutcome.Ignored;
        }
        if (PaymentRules.ForDispute(payment) is not { } reversal)
        {
            // Everything was refunded already: only the status changes.
            Update(db, payment, tracked => tracked.Status = PaymentStatus.Disputed);
            return await RecordOnlyAsync(stripeEvent, WebhookOutcome.Processed, cancellationToken);
        }
        return await ReverseAsync(stripeEvent, payment, reversal, LedgerTransactionKind.Chargeback,
            $"stripe:dispute:{dispute.Id}", "Stripe dispute", tracked => tracked.Status = PaymentStatus.Disputed, cancellationToken);
    }

    private async Task<WebhookOutcome> ReverseAsync(Event stripeEvent, Payment payment, Reversal reversal, LedgerTransactionKind kind,
        string reference, string description, Action<Payment> alsoChange, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var posting = new LedgerPosting(payment.AccountId, kind, reference, PaymentRules.ReversalEntries(payment.AccountId, reversal), Description: description);
        var outcome = await ledger.PostAsync(posting, cancellationToken, context =>
        {
            context.StripeEvents.Add(Record(stripeEvent, now));
            Update(context, payment, tracked =>
            {
                PaymentRules.Apply(tracked, reversal);
                alsoChange(tracked);
            });
        });
        if (outcome != PostingOutcome.Posted)
        {
            db.ChangeTracker.Clear();
            return await RecordOnlyAsync(stripeEvent, WebhookOutcome.Duplicate, cancellationToken);
        }
        LogReversed(logger, stripeEvent.Id, stripeEvent.Type, payment.SessionId, reversal.CreditsNanos);
        return WebhookOutcome.Processed;
    }

    private Task<Payment?> FindByPaymentIntentAsync(string? paymentIntentId, CancellationToken cancellationToken)
        => paymentIntentId is null
            ? Task.FromResult<Payment?>(null)
            : db.Payments.AsNoTracking().SingleOrDefaultAsync(existing => existing.PaymentIntentId == paymentIntentId, cancellationToken);

    /// <summary>
    /// Tracks a copy of <paramref name="payment"/> as it was read and changes it, so the update only succeeds if
    /// nobody changed the row since (a fresh copy each time, as a retried transaction calls this again).
    /// </summary>
    private static void Update(BillingDbContext context, Payment payment, Action<Payment> change)
    {
        var tracked = payment.Copy();
        context.Payments.Attach(tracked);
        change(tracked);
    }

    /// <summary>Records the event (with any payment change already tracked) so its deliveries stop counting.</summary>
    private async Task<WebhookOutcome> RecordOnlyAsync(Event stripeEvent, WebhookOutcome outcome, CancellationToken cancellationToken)
    {
        db.StripeEvents.Add(Record(stripeEvent, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return outcome;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return WebhookOutcome.Duplicate;
        }
    }

    private static StripeEventRecord Record(Event stripeEvent, DateTimeOffset now)
        => new() { Id = stripeEvent.Id, Type = stripeEvent.Type, ReceivedAt = now };

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId}: session {SessionId} paid, credits posted to account {AccountId}")]
    private static partial void LogToppedUp(ILogger logger, string eventId, string sessionId, Guid accountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}): {CreditsNanos} nano-dollars of session {SessionId} reversed")]
    private static partial void LogReversed(ILogger logger, string eventId, string eventType, string sessionId, long creditsNanos);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} ({EventType}) is about {StripeObjectId}, which is no top-up of ours; ignored")]
    private static partial void LogUnknownPayment(ILogger logger, string eventId, string eventType, string? stripeObjectId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe event {EventId}: session {SessionId} does not match its payment (stored {StoredCents} {StoredCurrency}, paid {PaidCents} {PaidCurrency}); not credited")]
    private static partial void LogMismatch(ILogger logger, string eventId, string sessionId, long storedCents, string storedCurrency, long? paidCents, string? paidCurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId}: its payment changed concurrently; applying it again")]
    private static partial void LogConcurrentUpdate(ILogger logger, string eventId);
}
