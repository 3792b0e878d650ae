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

/// <summary>The emulator as the AppHost would run it, with the pay page's public address configured.</summary>
public sealed class PublicStripeEmulatorServer : EmulatorServer
{
    public const string PublicBaseUrl = "http://localhost:5084/stripe/";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Stripe:PublicBaseUrl"] = PublicBaseUrl,
    };
}

public class StripePublicBaseUrlTests(PublicStripeEmulatorServer server) : IClassFixture<PublicStripeEmulatorServer>
{
    [Fact]
    public async Task Session_urls_use_the_configured_public_address_and_the_page_behind_them_exists()
    {
        using var request = StripeRequests.Form(
            HttpMethod.Post,
            "/stripe/v1/checkout/sessions",
            "mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=250&line_items[0][price_data][product_data][name]=Credits&line_items[0][quantity]=2&success_url=https://x.example/",
            StripeEmulatorFixture.ApiKey);
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var session = await EmulatorHttp.ReadJsonAsync(response);

        var id = session.GetProperty("id").GetString();
        Assert.Equal($"http://localhost:5084/stripe/pay/{id}", session.GetProperty("url").GetString());
        Assert.Equal(500, session.GetProperty("amount_total").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, session.GetProperty("payment_intent").ValueKind);
        var page = await server.Client.GetStringAsync($"/stripe/pay/{id}", TestContext.Current.CancellationToken);
        Assert.Contains("5.00 EUR", page);
    }

    [Fact]
    public async Task The_pay_page_of_an_unknown_session_is_404()
    {
        using var response = await server.Client.GetAsync("/stripe/pay/cs_test_unknown", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
