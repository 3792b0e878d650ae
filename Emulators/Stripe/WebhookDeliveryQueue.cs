using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Emulators.Stripe;

/// <summary>
/// One event on its way to one endpoint. <paramref name="SignatureTimestamp"/> pins the signature's <c>t=</c>
/// (to test a receiver's tolerance check); null signs each attempt with the current time, as Stripe does.
/// </summary>
public sealed record WebhookDelivery(StoredEvent Event, WebhookEndpoint Endpoint, long? SignatureTimestamp);

/// <summary>Deliveries waiting for <see cref="WebhookDeliveryService"/>, so API calls never wait on a receiver.</summary>
public sealed class WebhookDeliveryQueue
{
    private readonly Channel<WebhookDelivery> _channel = Channel.CreateUnbounded<WebhookDelivery>();

    public void Enqueue(WebhookDelivery delivery)
    {
        // An unbounded channel only refuses writes once completed, which this one never is.
        _channel.Writer.TryWrite(delivery);
    }

    public IAsyncEnumerable<WebhookDelivery> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}

/// <summary>One attempt to deliver an event: what the endpoint answered, or why nothing came back.</summary>
public sealed record WebhookDeliveryAttempt(
    string EventId,
    string EventType,
    string EndpointId,
    string EndpointUrl,
    int Attempt,
    long SignatureTimestamp,
    int? StatusCode,
    string? Error,
    bool Succeeded,
    DateTimeOffset AttemptedAt);

/// <summary>Every delivery attempt in order, for the control API.</summary>
public sealed class WebhookDeliveryLog
{
    private readonly ConcurrentQueue<WebhookDeliveryAttempt> _attempts = new();

    public void Record(WebhookDeliveryAttempt attempt) => _attempts.Enqueue(attempt);

    public IReadOnlyList<WebhookDeliveryAttempt> List(string? eventId) =>
        [.. _attempts.Where(attempt => eventId is null || attempt.EventId == eventId)];
}
