using Emulators.Stripe;

namespace UnitTests.Emulators;

public class StripeEmulatorOptionsTests
{
    private static readonly StripeEmulatorOptionsValidator Validator = new();

    [Fact]
    public void Events_default_to_the_API_version_of_the_Stripe_net_package()
    {
        Assert.Equal(Stripe.StripeConfiguration.ApiVersion, new StripeEmulatorOptions().ApiVersion);
    }

    [Fact]
    public void Valid_webhooks_pass()
    {
        var options = new StripeEmulatorOptions
        {
            PublicBaseUrl = "http://localhost:5084/stripe",
            Webhooks = [new StripeWebhookEndpointOptions { Url = "http://billing-service/api/stripe/webhook", Secret = "whsec_1" }],
        };

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Each_problem_names_its_configuration_key()
    {
        var options = new StripeEmulatorOptions
        {
            ApiVersion = "2026-10-28",
            PublicBaseUrl = "/stripe",
            Webhooks =
            [
                new StripeWebhookEndpointOptions { Url = "http://ok.example/hook", Secret = "whsec_ok" },
                new StripeWebhookEndpointOptions { Url = "ftp://billing/hook", Secret = " " },
            ],
        };

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Stripe:ApiVersion", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Stripe:PublicBaseUrl", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Stripe:Webhooks:1:Url", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Stripe:Webhooks:1:Secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Retries_wait_twice_as_long_each_time()
    {
        var options = new StripeEmulatorOptions { WebhookFirstRetryDelayMs = 1000 };

        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)],
            new[] { 2, 3, 4 }.Select(options.RetryDelayBefore));
    }
}
