using System.Text;
using Microsoft.Extensions.Options;

namespace Emulators.Stripe;

/// <summary>
/// Posts queued events to their endpoints, signed, retrying failures (non-2xx or no answer) with doubling
/// delays like Stripe's retries, only much shorter. A few deliveries run at once, so one slow or failing
/// endpoint does not hold back the others.
/// </summary>
public sealed partial class WebhookDeliveryService(
    WebhookDeliveryQueue queue,
    WebhookDeliveryLog log,
    IHttpClientFactory httpClientFactory,
    IOptions<StripeEmulatorOptions> options,
    TimeProvider timeProvider,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public const string HttpClientName = "stripe-webhooks";

    private const int ConcurrentDeliveries = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Parallel.ForEachAsync(
                queue.ReadAllAsync(stoppingToken),
                new ParallelOptions { MaxDegreeOfParallelism = ConcurrentDeliveries, CancellationToken = stoppingToken },
                DeliverAsync);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered events are lost with the rest of the emulator's memory.
        }
    }

    private async ValueTask DeliverAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        for (var attempt = 1; attempt <= settings.WebhookMaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(settings.RetryDelayBefore(attempt), timeProvider, stoppingToken);
            }
            if (await AttemptAsync(delivery, attempt, stoppingToken))
            {
                return;
            }
        }
        LogGaveUp(logger, delivery.Event.Event.Id, delivery.Endpoint.Url, settings.WebhookMaxAttempts);
    }

    private async Task<bool> AttemptAsync(WebhookDelivery delivery, int attempt, CancellationToken stoppingToken)
    {
        var timestamp = delivery.SignatureTimestamp ?? timeProvider.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Endpoint.Url)
        {
            Content = new StringContent(delivery.Event.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Create(delivery.Event.Payload, delivery.Endpoint.Secret, timestamp));
        request.Headers.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");

        int? statusCode = null;
        string? error = null;
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
            statusCode = (int)response.StatusCode;
        }
        catch (HttpRequestException exception)
        {
            error = exception.Message;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"No answer within {options.Value.WebhookTimeoutSeconds} seconds.";
        }

        var succeeded = statusCode is >= 200 and < 300;
        log.Record(new WebhookDeliveryAttempt(
            delivery.Event.Event.Id, delivery.Event.Event.Type, delivery.Endpoint.Id, delivery.Endpoint.Url,
            attempt, timestamp, statusCode, error, succeeded, timeProvider.GetUtcNow()));
        if (!succeeded)
        {
            LogAttemptFailed(logger, delivery.Event.Event.Id, delivery.Endpoint.Url, attempt, statusCode, error);
        }
        return succeeded;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventId} to {Url}: attempt {Attempt} failed (status {StatusCode}, error {Error})")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, string url, int attempt, int? statusCode, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {EventId} to {Url}: gave up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string eventId, string url, int attempts);
}
