namespace Portal.Web.Components.Billing;

/// <summary>
/// How the top-up return page waits for Stripe's webhook: it asks billing every <see cref="Interval"/> until the
/// payment is completed, for at most <see cref="Timeout"/>. A singleton, so tests can make both short.
/// </summary>
public sealed class CheckoutPolling
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times to ask in all: once at once, then once per interval until the timeout.</summary>
    public int Attempts => 1 + (int)Math.Ceiling(Timeout / (Interval > TimeSpan.Zero ? Interval : TimeSpan.FromMilliseconds(1)));
}
