using System.Collections.Concurrent;
using System.Text.Json;
using Emulators.Common;

namespace Emulators.Stripe;

/// <summary>Checkout Sessions from creation to payment; paying one records the payment and publishes the event.</summary>
public sealed class CheckoutSessions(Payments payments, StripeEvents events, TimeProvider timeProvider)
{
    /// <summary>Stripe's default: a session can be paid for 24 hours.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, CheckoutSession> _sessions = new();

    // Paying is read, check, replace: the lock makes a double-clicked Pay button complete the session once.
    private readonly Lock _gate = new();

    /// <param name="payPageBase">Where the hosted pay pages are, e.g. <c>http://localhost:5084/stripe/pay</c>.</param>
    public CheckoutSession Create(CheckoutSessionRequest request, string payPageBase)
    {
        var id = RandomIds.Create("cs_test_", 58);
        var now = timeProvider.GetUtcNow();
        var session = new CheckoutSession
        {
            Id = id,
            AmountSubtotal = request.AmountTotal,
            AmountTotal = request.AmountTotal,
            Currency = request.Currency,
            Mode = "payment",
            Status = "open",
            PaymentStatus = "unpaid",
            ClientReferenceId = request.ClientReferenceId,
            CustomerEmail = request.CustomerEmail,
            Metadata = request.Metadata,
            SuccessUrl = request.SuccessUrl,
            CancelUrl = request.CancelUrl,
            Url = $"{payPageBase}/{id}",
            Created = now.ToUnixTimeSeconds(),
            ExpiresAt = now.Add(Lifetime).ToUnixTimeSeconds(),
        };
        _sessions[id] = session;
        return session;
    }

    public CheckoutSession? Find(string id) => _sessions.GetValueOrDefault(id);

    /// <summary>
    /// Pays an open session: status <c>complete</c>, payment status <c>paid</c>, a new payment intent, and one
    /// <c>checkout.session.completed</c> event. Paying a session again changes nothing and publishes nothing.
    /// </summary>
    /// <returns>The session as it is now, or null when there is no such session.</returns>
    public CheckoutSession? Complete(string id)
    {
        CheckoutSession completed;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(id, out var session))
            {
                return null;
            }
            if (session.Status != "open")
            {
                return session;
            }
            completed = session with
            {
                Status = "complete",
                PaymentStatus = "paid",
                PaymentIntent = payments.RecordPayment(session),
                Url = null,
            };
            _sessions[id] = completed;
        }
        events.Publish("checkout.session.completed", JsonSerializer.SerializeToElement(completed, StripeJsonContext.Default.CheckoutSession));
        return completed;
    }

    /// <summary>The success URL with <c>{CHECKOUT_SESSION_ID}</c> filled in, as Stripe redirects to it.</summary>
    public static string SuccessRedirect(CheckoutSession session) =>
        session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", session.Id, StringComparison.Ordinal);
}
