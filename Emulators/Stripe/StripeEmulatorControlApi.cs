using Emulators.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Emulators.Stripe;

/// <summary>Deliveries queued by a replay: how many endpoints the event is on its way to.</summary>
public sealed record QueuedDeliveries(string EventId, int Deliveries);

/// <summary>
/// What Stripe's dashboard and CLI do, for tests and operators: pay a session without a browser, open a dispute,
/// manage webhook endpoints, list events and delivery attempts, and resend an event (optionally signed with a
/// chosen timestamp, to test a receiver's tolerance check). Under <c>/stripe/emulator</c>, without API keys.
/// </summary>
public static class StripeEmulatorControlApi
{
    public static IEndpointRouteBuilder MapStripeEmulatorControlApi(this IEndpointRouteBuilder endpoints)
    {
        var control = endpoints.MapGroup($"{StripeEmulatorApi.RoutePrefix}/emulator");
        control.MapPost("/checkout/sessions/{id}/complete", CompleteSession);
        control.MapPost("/payment_intents/{id}/dispute", OpenDispute);
        control.MapGet("/events", ListEvents);
        control.MapPost("/events/{id}/replay", ReplayEvent);
        control.MapGet("/deliveries", ListDeliveries);
        control.MapGet("/webhooks", ListWebhooks);
        control.MapPost("/webhooks", RegisterWebhookAsync);
        control.MapDelete("/webhooks/{id}", RemoveWebhook);
        return endpoints;
    }

    /// <summary>The same as pressing Pay on the hosted page, answered with the session instead of a redirect.</summary>
    private static Results<JsonHttpResult<CheckoutSession>, JsonHttpResult<StripeErrorResponse>> CompleteSession(string id, CheckoutSessions sessions) =>
        sessions.Complete(id) is { } session
            ? TypedResults.Json(session, StripeJsonContext.Default.CheckoutSession)
            : StripeErrors.NotFound(StripeErrors.NoSuch("checkout.session", "session", id));

    private static Results<JsonHttpResult<Dispute>, JsonHttpResult<StripeErrorResponse>> OpenDispute(
        string id, long? amount, string? reason, Payments payments)
    {
        var (dispute, error) = payments.OpenDispute(id, amount, reason);
        return dispute is not null ? TypedResults.Json(dispute, StripeJsonContext.Default.Dispute)
            : error!.Code == "resource_missing" ? StripeErrors.NotFound(error)
            : StripeErrors.BadRequest(error);
    }

    private static JsonHttpResult<StripeList<StripeEvent>> ListEvents(string? type, HttpRequest request, StripeEvents events) =>
        TypedResults.Json(new StripeList<StripeEvent>(events.List(type), request.Path), StripeJsonContext.Default.StripeListStripeEvent);

    /// <param name="timestamp">Unix seconds to sign with instead of now (a stale one must be rejected by receivers).</param>
    private static Results<Accepted<QueuedDeliveries>, JsonHttpResult<StripeErrorResponse>> ReplayEvent(string id, long? timestamp, StripeEvents events) =>
        events.Redeliver(id, timestamp) is { } deliveries
            ? TypedResults.Accepted((string?)null, new QueuedDeliveries(id, deliveries))
            : StripeErrors.NotFound(StripeErrors.NoSuch("event", "id", id));

    private static JsonHttpResult<IReadOnlyList<WebhookDeliveryAttempt>> ListDeliveries([FromQuery(Name = "event_id")] string? eventId, WebhookDeliveryLog log) =>
        TypedResults.Json(log.List(eventId), StripeJsonContext.Default.IReadOnlyListWebhookDeliveryAttempt);

    private static JsonHttpResult<IReadOnlyList<WebhookEndpoint>> ListWebhooks(WebhookEndpoints webhooks) =>
        TypedResults.Json(webhooks.All(), StripeJsonContext.Default.IReadOnlyListWebhookEndpoint);

    private static async Task<Results<JsonHttpResult<WebhookEndpoint>, JsonHttpResult<StripeErrorResponse>>> RegisterWebhookAsync(
        HttpRequest request, WebhookEndpoints webhooks, CancellationToken cancellationToken)
    {
        var (registration, readError) = await RequestBody.ReadAsync(request, StripeJsonContext.Default.WebhookEndpointRegistration, cancellationToken);
        if (registration is null)
        {
            return StripeErrors.BadRequest(new StripeError("invalid_request_error", readError!));
        }
        if (!StripeEmulatorOptionsValidator.IsHttpUrl(registration.Url))
        {
            return StripeErrors.BadRequest(StripeErrors.InvalidParam("url", "Invalid URL: must be an absolute http(s) URL."));
        }
        var endpoint = webhooks.Register(registration.Url!, string.IsNullOrWhiteSpace(registration.Secret) ? null : registration.Secret);
        return TypedResults.Json(endpoint, StripeJsonContext.Default.WebhookEndpoint, statusCode: StatusCodes.Status201Created);
    }

    private static Results<NoContent, NotFound> RemoveWebhook(string id, WebhookEndpoints webhooks) =>
        webhooks.Remove(id) ? TypedResults.NoContent() : TypedResults.NotFound();
}
