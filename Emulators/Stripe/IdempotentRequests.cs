using System.Collections.Concurrent;

namespace Emulators.Stripe;

/// <summary>
/// Stripe's <c>Idempotency-Key</c>: the first request with a key runs, later ones with the same key (and the same
/// API key) get its result again, and a reused key with different parameters is an error. Stripe.net sends a
/// key on every POST so that its own retries are safe; this keeps those retries from paying or refunding twice.
/// </summary>
public sealed class IdempotentRequests
{
    public const string HeaderName = "Idempotency-Key";

    private readonly ConcurrentDictionary<(string ApiKey, string IdempotencyKey), Entry> _entries = new();

    /// <param name="fingerprint">The request's path and parameters, to notice a key reused for another request.</param>
    public IResult Run(HttpRequest request, string fingerprint, Func<IResult> execute)
    {
        var idempotencyKey = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return execute();
        }

        // Lazy runs the request once even when two arrive with the same key at the same moment.
        var entry = _entries.GetOrAdd((StripeApiKey.Read(request) ?? "", idempotencyKey), _ => new Entry(fingerprint, new Lazy<IResult>(execute)));
        return entry.Fingerprint == fingerprint ? entry.Result.Value : StripeErrors.IdempotencyKeyReused(idempotencyKey);
    }

    private sealed record Entry(string Fingerprint, Lazy<IResult> Result);
}
