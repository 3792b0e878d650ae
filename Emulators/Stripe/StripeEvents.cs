using System.Collections.Concurrent;
using System.Text.Json;
using Emulators.Common;
using Microsoft.Extensions.Options;

namespace Emulators.Stripe;

/// <summary>
/// An event and the exact JSON sent for it. Replays send the same bytes (same event id), as Stripe's resends
/// do, so receivers can be tested for handling a duplicate.
/// </summary>
public sealed record StoredEvent(StripeEvent Event, string Payload, long Sequence);

/// <summary>Creates events, keeps them, and queues a delivery to every webhook endpoint.</summary>
public sealed class StripeEvents(
    WebhookEndpoints endpoints, WebhookDeliveryQueue queue, IOptions<StripeEmulatorOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, StoredEvent> _events = new();
    private long _sequence;

    /// <param name="type">Stripe's event type, e.g. <c>checkout.session.completed</c>.</param>
    /// <param name="dataObject">The object the event is about, serialized with <see cref="StripeJsonContext"/>.</param>
    /// <param name="idempotencyKey">The Idempotency-Key of the API request that caused the event, if any.</param>
    public StripeEvent Publish(string type, JsonElement dataObject, string? idempotencyKey = null)
    {
        var targets = endpoints.All();
        var stripeEvent = new StripeEvent
        {
            Id = RandomIds.Create("evt_", 24),
            ApiVersion = options.Value.ApiVersion,
            Created = timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            Data = new StripeEventData(dataObject),
            PendingWebhooks = targets.Count,
            Request = new StripeEventRequest(Id: null, idempotencyKey),
            Type = type,
        };
        var stored = new StoredEvent(
            stripeEvent, JsonSerializer.Serialize(stripeEvent, StripeJsonContext.Default.StripeEvent), Interlocked.Increment(ref _sequence));
        _events[stripeEvent.Id] = stored;
        QueueDeliveries(stored, targets, signatureTimestamp: null);
        return stripeEvent;
    }

    public StripeEvent? Find(string id) => _events.TryGetValue(id, out var stored) ? stored.Event : null;

    /// <summary>Newest first, as Stripe lists them; optionally only one type.</summary>
    public IReadOnlyList<StripeEvent> List(string? type) =>
        [.. _events.Values
            .Where(stored => type is null || stored.Event.Type == type)
            .OrderByDescending(stored => stored.Sequence)
            .Select(stored => stored.Event)];

    /// <summary>
    /// Sends a stored event again to every current endpoint, signed now or at <paramref name="signatureTimestamp"/>.
    /// </summary>
    /// <returns>The number of deliveries queued, or null when there is no such event.</returns>
    public int? Redeliver(string id, long? signatureTimestamp)
    {
        if (!_events.TryGetValue(id, out var stored))
        {
            return null;
        }
        var targets = endpoints.All();
        QueueDeliveries(stored, targets, signatureTimestamp);
        return targets.Count;
    }

    private void QueueDeliveries(StoredEvent stored, IReadOnlyList<WebhookEndpoint> targets, long? signatureTimestamp)
    {
        foreach (var endpoint in targets)
        {
            queue.Enqueue(new WebhookDelivery(stored, endpoint, signatureTimestamp));
        }
    }
}
