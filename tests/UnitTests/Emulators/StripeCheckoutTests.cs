using System.Net;
using System.Net.Http.Headers;
using Stripe;
using Stripe.Checkout;

namespace UnitTests.Emulators;

/// <summary>Checkout top-ups through the real Stripe.net SDK against the emulator, and the hosted pay page.</summary>
public class StripeCheckoutTests(StripeEmulatorFixture fixture) : IClassFixture<StripeEmulatorFixture>
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private SessionService Sessions => new(fixture.Stripe);

    [Fact]
    public async Task Creating_a_session_returns_an_open_unpaid_session_with_a_pay_page_url()
    {
        var session = await Sessions.CreateAsync(StripeRequests.TopUp(unitAmount: 500, quantity: 3), cancellationToken: CancellationToken);

        Assert.StartsWith("cs_test_", session.Id);
        Assert.Equal("checkout.session", session.Object);
        Assert.Equal(1500, session.AmountTotal);
        Assert.Equal(1500, session.AmountSubtotal);
        Assert.Equal("usd", session.Currency);
        Assert.Equal("payment", session.Mode);
        Assert.Equal("open", session.Status);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.Null(session.PaymentIntentId);
        Assert.Equal("user-42", session.ClientReferenceId);
        Assert.Equal("42", session.Metadata["user_id"]);
        Assert.Equal(StripeRequests.SuccessUrl, session.SuccessUrl);
        Assert.False(session.Livemode);
        Assert.Equal($"{fixture.ApiBase}/pay/{session.Id}", session.Url);
        Assert.InRange(session.Created, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Paying_on_the_hosted_page_completes_the_session_and_redirects_to_the_success_url()
    {
        var created = await Sessions.CreateAsync(StripeRequests.TopUp(), cancellationToken: CancellationToken);
        var fetched = await Sessions.GetAsync(created.Id, cancellationToken: CancellationToken);
        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal("open", fetched.Status);

        var payPage = await fixture.Client.GetStringAsync(created.Url, CancellationToken);
        Assert.Contains("id=\"pay\"", payPage);
        Assert.Contains("5.00 USD", payPage);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(StripeRequests.CancelUrl)}\"", payPage);

        using var payment = await fixture.BrowserWithoutRedirects.PostAsync(created.Url, new FormUrlEncodedContent([]), CancellationToken);
        Assert.Equal(HttpStatusCode.SeeOther, payment.StatusCode);
        Assert.Equal($"https://portal.example/credits?session_id={created.Id}", payment.Headers.Location?.ToString());

        var paid = await Sessions.GetAsync(created.Id, cancellationToken: CancellationToken);
        Assert.Equal("complete", paid.Status);
        Assert.Equal("paid", paid.PaymentStatus);
        Assert.StartsWith("pi_", paid.PaymentIntentId);
        Assert.Null(paid.Url);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_session_and_refuses_other_parameters()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Sessions.CreateAsync(StripeRequests.TopUp(), new RequestOptions { IdempotencyKey = key }, CancellationToken);
        var again = await Sessions.CreateAsync(StripeRequests.TopUp(), new RequestOptions { IdempotencyKey = key }, CancellationToken);
        var otherKey = await Sessions.CreateAsync(StripeRequests.TopUp(), new RequestOptions { IdempotencyKey = Guid.NewGuid().ToString() }, CancellationToken);

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, otherKey.Id);

        var reused = await Assert.ThrowsAsync<StripeException>(() =>
            Sessions.CreateAsync(StripeRequests.TopUp(unitAmount: 900), new RequestOptions { IdempotencyKey = key }, CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, reused.HttpStatusCode);
        Assert.Equal("idempotency_error", reused.StripeError.Type);
    }

    [Fact]
    public async Task A_bad_amount_gets_a_Stripe_400_that_Stripe_net_understands()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() =>
            Sessions.CreateAsync(StripeRequests.TopUp(unitAmount: 0), cancellationToken: CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.Equal("line_items[0][price_data][unit_amount]", error.StripeError.Param);
    }

    [Theory]
    [InlineData("line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Credits&line_items[0][quantity]=1&success_url=https://x.example/", "mode", "parameter_missing")]
    [InlineData("mode=subscription&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Credits&line_items[0][quantity]=1&success_url=https://x.example/", "mode", "parameter_invalid")]
    [InlineData("mode=payment&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Credits&line_items[0][quantity]=1&success_url=https://x.example/", "line_items[0][price_data][currency]", "parameter_missing")]
    [InlineData("mode=payment&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=5.5&line_items[0][price_data][product_data][name]=Credits&line_items[0][quantity]=1&success_url=https://x.example/", "line_items[0][price_data][unit_amount]", "parameter_invalid_integer")]
    [InlineData("mode=payment&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=-100&line_items[0][price_data][product_data][name]=Credits&line_items[0][quantity]=1&success_url=https://x.example/", "line_items[0][price_data][unit_amount]", "parameter_invalid")]
    [InlineData("mode=payment&success_url=https://x.example/", "line_items", "parameter_missing")]
    [InlineData("mode=payment&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500&line_items[0][price_data][product_data][name]=Credits&line_items[0][quantity]=1", "success_url", "parameter_missing")]
    public async Task Invalid_session_parameters_get_Stripe_format_400s(string form, string expectedParam, string expectedCode)
    {
        using var request = StripeRequests.Form(HttpMethod.Post, "/stripe/v1/checkout/sessions", form, StripeEmulatorFixture.ApiKey);
        using var response = await fixture.Client.SendAsync(request, CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(expectedParam, error.GetProperty("param").GetString());
        Assert.Equal(expectedCode, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk_live_not_for_the_emulator")]
    [InlineData("pk_test_publishable")]
    public async Task Requests_without_a_test_secret_key_get_401(string? apiKey)
    {
        using var request = StripeRequests.Form(HttpMethod.Post, "/stripe/v1/checkout/sessions", "mode=payment", apiKey);
        using var response = await fixture.Client.SendAsync(request, CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("API key", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stripe_net_with_a_live_key_sees_an_authentication_failure()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() =>
            new SessionService(fixture.ClientWithKey("sk_live_wrong")).CreateAsync(StripeRequests.TopUp(), cancellationToken: CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatusCode);
    }

    [Fact]
    public async Task An_unknown_session_is_404_resource_missing()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => Sessions.GetAsync("cs_test_nothing_here", cancellationToken: CancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        Assert.Equal("resource_missing", error.StripeError.Code);
    }
}

/// <summary>Requests shared by the Stripe emulator tests.</summary>
internal static class StripeRequests
{
    public const string SuccessUrl = "https://portal.example/credits?session_id={CHECKOUT_SESSION_ID}";
    public const string CancelUrl = "https://portal.example/credits?cancelled=1&from=checkout";

    /// <summary>A credits top-up the way Billing will ask for one.</summary>
    public static SessionCreateOptions TopUp(long unitAmount = 500, long quantity = 1) => new()
    {
        Mode = "payment",
        LineItems =
        [
            new SessionLineItemOptions
            {
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = "usd",
                    UnitAmount = unitAmount,
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "OpenRouterClone credits" },
                },
                Quantity = quantity,
            },
        ],
        SuccessUrl = SuccessUrl,
        CancelUrl = CancelUrl,
        ClientReferenceId = "user-42",
        Metadata = new Dictionary<string, string> { ["user_id"] = "42" },
    };

    /// <summary>A raw form request, as Stripe's API takes them; <paramref name="apiKey"/> null sends no Authorization.</summary>
    public static HttpRequestMessage Form(HttpMethod method, string path, string form, string? apiKey)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return request;
    }
}
