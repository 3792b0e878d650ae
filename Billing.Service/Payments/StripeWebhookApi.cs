using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared;
using Stripe;

namespace Billing.Service.Payments;

/// <summary>
/// <c>POST /api/stripe/webhook</c>: Stripe's events, public (the gateway forwards it; no API key) and trusted only
/// after <c>Stripe-Signature</c> checks out against the webhook secret within the tolerance. A bad signature or a
/// stale timestamp is a 400, never a 500; a 500 means a failure worth Stripe's retry (the database).
/// </summary>
public static partial class StripeWebhookApi
{
    public const string Path = "/api/stripe/webhook";
    private const long MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapStripeWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync);
        return app;
    }

    public static async Task<Results<Ok<WebhookReceipt>, JsonHttpResult<ErrorResponse>>> ReceiveAsync(
        HttpContext context, StripeWebhookProcessor processor, IOptions<StripeOptions> options, TimeProvider clock, ILoggerFactory loggers)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }
        var signature = context.Request.Headers["Stripe-Signature"].ToString();
        if (string.IsNullOrEmpty(signature))
        {
            return ApiError.BadRequest("Missing Stripe-Signature header");
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(cancellationToken);

        var settings = options.Value;
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signature, settings.WebhookSecret, (long)settings.WebhookTolerance.TotalSeconds,
                clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: true);
        }
        catch (Exception ex) when (ex is StripeException or Newtonsoft.Json.JsonException or ArgumentException)
        {
            LogRejected(loggers.CreateLogger(typeof(StripeWebhookApi)), ex.Message);
            return ApiError.BadRequest("Invalid Stripe webhook: the signature, its timestamp or the payload did not verify");
        }

        var outcome = await processor.HandleAsync(stripeEvent, cancellationToken);
        LogReceived(loggers.CreateLogger(typeof(StripeWebhookApi)), stripeEvent.Id, stripeEvent.Type, outcome);
        return TypedResults.Ok(new WebhookReceipt(true, outcome.ToString().ToLowerInvariant()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}): {Outcome}")]
    private static partial void LogReceived(ILogger logger, string eventId, string eventType, WebhookOutcome outcome);
}
