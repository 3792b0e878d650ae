using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.Stripe;

/// <summary>
/// Source-generated JSON for the Stripe API and the Stripe control API: snake_case, as Stripe's own JSON, so
/// the control API's events and sessions read exactly like the API's.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.General,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CheckoutSession))]
[JsonSerializable(typeof(Charge))]
[JsonSerializable(typeof(Refund))]
[JsonSerializable(typeof(Dispute))]
[JsonSerializable(typeof(StripeEvent))]
[JsonSerializable(typeof(StripeList<StripeEvent>))]
[JsonSerializable(typeof(StripeErrorResponse))]
[JsonSerializable(typeof(WebhookEndpoint))]
[JsonSerializable(typeof(IReadOnlyList<WebhookEndpoint>))]
[JsonSerializable(typeof(WebhookEndpointRegistration))]
[JsonSerializable(typeof(WebhookDeliveryAttempt))]
[JsonSerializable(typeof(IReadOnlyList<WebhookDeliveryAttempt>))]
[JsonSerializable(typeof(QueuedDeliveries))]
public sealed partial class StripeJsonContext : JsonSerializerContext;
