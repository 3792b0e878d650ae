using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Billing.Service.Payments;

/// <summary>
/// Stripe Checkout top-ups (configuration section "Stripe"). Secrets come only from configuration (the AppHost's
/// <c>stripe-secret-key</c> and <c>stripe-webhook-secret</c> parameters); nothing here is ever logged.
/// </summary>
public sealed class StripeOptions
{
    public const string SectionName = "Stripe";

    /// <summary>The secret API key (<c>sk_live_...</c>, <c>sk_test_...</c>, or a restricted <c>rk_...</c>).</summary>
    [Required]
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_...</c> from Stripe, or the AppHost's generated one for the emulator).</summary>
    [Required]
    public string? WebhookSecret { get; set; }

    /// <summary>Where Stripe's API is; null means the real Stripe. The AppHost points it at the emulator (<c>.../stripe</c>).</summary>
    public string? ApiBase { get; set; }

    /// <summary>How old a webhook's signature timestamp may be (either way); older deliveries are refused as replays.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The platform fee added on top of the credits bought, in percent.</summary>
    [Range(typeof(decimal), "0", "50")]
    public decimal FeePercent { get; set; } = 5.5m;

    /// <summary>The smallest fee, in USD.</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal MinimumFeeUsd { get; set; } = 0.80m;

    [Range(typeof(decimal), "0.01", "100000")]
    public decimal MinimumTopUpUsd { get; set; } = 5m;

    [Range(typeof(decimal), "0.01", "100000")]
    public decimal MaximumTopUpUsd { get; set; } = 10_000m;

    /// <summary>The ISO currency code Stripe charges in, lower case.</summary>
    [Required]
    [RegularExpression("^[a-z]{3}$")]
    public string Currency { get; set; } = "usd";
}

/// <summary>Checks what annotations cannot: key shapes, URLs, whole cents and the order of the limits.</summary>
public sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    /// <summary>Stripe's own cap on one Checkout amount, in cents.</summary>
    public const long MaxStripeAmountCents = 99_999_999;

    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        const string Section = StripeOptions.SectionName;
        var failures = new List<string>();
        if (options.SecretKey is { } key && !(key.StartsWith("sk_", StringComparison.Ordinal) || key.StartsWith("rk_", StringComparison.Ordinal)))
        {
            failures.Add($"{Section}:SecretKey must be a Stripe secret key (sk_... or rk_...), not a publishable key.");
        }
        if (options.ApiBase is not null && !(Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"{Section}:ApiBase must be an absolute http(s) URL, or unset for the real Stripe.");
        }
        if (options.WebhookTolerance < TimeSpan.FromSeconds(1) || options.WebhookTolerance > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}:WebhookTolerance must be between 00:00:01 and 01:00:00 (a TimeSpan, e.g. 00:05:00).");
        }
        foreach (var (key2, value) in new[] { ("MinimumFeeUsd", options.MinimumFeeUsd), ("MinimumTopUpUsd", options.MinimumTopUpUsd), ("MaximumTopUpUsd", options.MaximumTopUpUsd) })
        {
            if (!TopUpPricing.TryToCents(value, out _))
            {
                failures.Add($"{Section}:{key2} must be whole cents.");
            }
        }
        if (options.MinimumTopUpUsd > options.MaximumTopUpUsd)
        {
            failures.Add($"{Section}:MinimumTopUpUsd must not exceed MaximumTopUpUsd.");
        }
        else if (TopUpPricing.TryToCents(options.MaximumTopUpUsd, out var maxCents)
            && TopUpPricing.TryToCents(options.MinimumFeeUsd, out var minFeeCents)
            && TopUpPricing.FeeCents(maxCents, options.FeePercent, minFeeCents) + maxCents > MaxStripeAmountCents)
        {
            failures.Add($"{Section}:MaximumTopUpUsd plus its fee exceeds what one Stripe Checkout can charge.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
