using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Emulators.Stripe;

/// <summary>
/// The Stripe emulator's settings, bound from the "Stripe" configuration section: where webhook events go,
/// how deliveries are retried, and the address browsers reach the hosted pay page at.
/// </summary>
public sealed class StripeEmulatorOptions
{
    public const string SectionName = "Stripe";

    /// <summary>
    /// Stamped on every event. Stripe.net's <c>EventUtility.ConstructEvent</c> rejects events from another release
    /// train, so the default is the version of the Stripe.net package the solution uses.
    /// </summary>
    [Required]
    public string ApiVersion { get; set; } = global::Stripe.StripeConfiguration.ApiVersion;

    /// <summary>
    /// Base of the hosted pay page links in <c>checkout.session.url</c> (e.g. <c>http://localhost:5084/stripe</c>).
    /// Unset: the address the API request came in on, which a browser cannot reach when the caller used a
    /// service-discovery name such as <c>http://emulators</c>.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Endpoints that receive every event; more can be registered at runtime through the control API.</summary>
    public List<StripeWebhookEndpointOptions> Webhooks { get; set; } = [];

    /// <summary>Attempts per delivery, the first included.</summary>
    [Range(1, 20)]
    public int WebhookMaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; each further retry waits twice as long (1s, 2s, 4s, ...).</summary>
    [Range(0, 3_600_000)]
    public int WebhookFirstRetryDelayMs { get; set; } = 1000;

    /// <summary>How long one delivery attempt may take before it counts as failed.</summary>
    [Range(1, 300)]
    public int WebhookTimeoutSeconds { get; set; } = 10;

    public TimeSpan RetryDelayBefore(int attempt) =>
        TimeSpan.FromMilliseconds(WebhookFirstRetryDelayMs * Math.Pow(2, attempt - 2));
}

/// <summary>One configured webhook endpoint: <c>Stripe:Webhooks:0:Url</c> and <c>Stripe:Webhooks:0:Secret</c>.</summary>
public sealed class StripeWebhookEndpointOptions
{
    public string? Url { get; set; }

    /// <summary>The signing secret (Stripe's look like <c>whsec_...</c>); the receiver verifies with the same one.</summary>
    public string? Secret { get; set; }
}

/// <summary>
/// Checks what data annotations cannot reach (the webhook list and URL shapes), so a typo stops the emulator at
/// start with the key named instead of silently dropping events.
/// </summary>
public sealed class StripeEmulatorOptionsValidator : IValidateOptions<StripeEmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeEmulatorOptions options)
    {
        var failures = new List<string>();
        if (!options.ApiVersion.Contains('.', StringComparison.Ordinal))
        {
            failures.Add($"{StripeEmulatorOptions.SectionName}:ApiVersion must name a release train, like '2026-10-28.endive'.");
        }
        if (options.PublicBaseUrl is not null && !IsHttpUrl(options.PublicBaseUrl))
        {
            failures.Add($"{StripeEmulatorOptions.SectionName}:PublicBaseUrl must be an absolute http(s) URL.");
        }
        for (var index = 0; index < options.Webhooks.Count; index++)
        {
            var path = $"{StripeEmulatorOptions.SectionName}:Webhooks:{index}";
            if (!IsHttpUrl(options.Webhooks[index].Url))
            {
                failures.Add($"{path}:Url must be an absolute http(s) URL.");
            }
            if (string.IsNullOrWhiteSpace(options.Webhooks[index].Secret))
            {
                failures.Add($"{path}:Secret is required: receivers verify the Stripe-Signature header with it.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
