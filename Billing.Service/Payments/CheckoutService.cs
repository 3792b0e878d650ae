using System.Globalization;
using Billing.Service.Accounts;
using Billing.Service.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Stripe;
using Account = Billing.Service.Accounts.Account;
using Stripe.Checkout;

namespace Billing.Service.Payments;

/// <summary>Creates Stripe Checkout Sessions for top-ups and remembers what each one was for.</summary>
public sealed partial class CheckoutService(BillingDbContext db, IStripeClient stripe, IOptions<StripeOptions> options, TimeProvider clock, ILogger<CheckoutService> logger)
{
    public const string ProductName = "OpenRouterClone credits";

    /// <summary>
    /// A payment-mode session with one line item for the total (credits plus fee), and its pending
    /// <see cref="Payment"/>. With an idempotency key, a retry returns the same session.
    /// </summary>
    public async Task<(Payment Payment, string? Url)> CreateAsync(Account account, TopUpQuote quote, string successUrl, string cancelUrl,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sessionOptions = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = account.Id.ToString(),
            CustomerEmail = account.Email,
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = settings.Currency,
                        UnitAmount = quote.TotalCents,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = ProductName },
                    },
                },
            ],
            Metadata = new Dictionary<string, string>
            {
                ["account_id"] = account.Id.ToString(),
                ["credits_usd"] = quote.AmountUsd.ToString("0.00", CultureInfo.InvariantCulture),
                ["fee_usd"] = quote.FeeUsd.ToString("0.00", CultureInfo.InvariantCulture),
                ["credits_nanos"] = quote.CreditsNanos.ToString(CultureInfo.InvariantCulture),
                ["fee_nanos"] = quote.FeeNanos.ToString(CultureInfo.InvariantCulture),
            },
        };
        // Scoped to the account, so two accounts' keys never collide at Stripe.
        var requestOptions = idempotencyKey is null ? null : new RequestOptions { IdempotencyKey = $"checkout:{account.Id}:{idempotencyKey}" };
        var session = await new SessionService(stripe).CreateAsync(sessionOptions, requestOptions, cancellationToken);

        var payment = new Payment
        {
            Id = Guid.CreateVersion7(),
            SessionId = session.Id,
            AccountId = account.Id,
            CreditsNanos = quote.CreditsNanos,
            FeeNanos = quote.FeeNanos,
            TotalCents = quote.TotalCents,
            Currency = settings.Currency,
            Status = PaymentStatus.Pending,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Payments.Add(payment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same idempotency key again: Stripe returned the session stored the first time.
            db.ChangeTracker.Clear();
            payment = await db.Payments.AsNoTracking().SingleAsync(existing => existing.SessionId == session.Id, cancellationToken);
        }
        LogSessionCreated(logger, session.Id, account.Id, quote.TotalCents);
        return (payment, session.Url);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkout session {SessionId} created for account {AccountId}: {TotalCents} cents")]
    private static partial void LogSessionCreated(ILogger logger, string sessionId, Guid accountId, long totalCents);
}
