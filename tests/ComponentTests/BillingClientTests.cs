using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Web.Billing;

namespace ComponentTests;

/// <summary>The typed client's wire format against a scripted billing service.</summary>
public sealed class BillingClientTests
{
    private const string KeyJson = """
        {"hash":"abc123","name":"My app","label":"sk-or-v1-0e6...c96","disabled":false,"limit":10,"limit_remaining":7.5,
         "limit_reset":"monthly","include_byok_in_limit":false,"usage":2.5,"usage_daily":0,"usage_weekly":0,"usage_monthly":2.5,
         "byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"created_at":"2026-11-20T09:30:00+00:00",
         "updated_at":null,"expires_at":null,"creator_user_id":"user/1","is_provisioning_key":false}
        """;

    [Fact]
    public async Task Create_key_posts_snake_case_without_a_provisioning_flag_and_reads_the_secret()
    {
        var billing = new ScriptedHandler(HttpStatusCode.Created, $$"""{"data":{{KeyJson}},"key":"sk-or-v1-{{new string('a', 64)}}"}""");
        var client = Create(billing);

        var created = await client.CreateKeyAsync("user/1", "My app", 10m, KeyLimitReset.Monthly,
            new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpMethod.Post, billing.Method);
        // The user id is one path segment, whatever it contains.
        Assert.Equal("http://billing/internal/accounts/user%2F1/keys", billing.Uri);
        Assert.Equal("""{"name":"My app","limit":10,"limit_reset":"monthly","expires_at":"2027-01-01T00:00:00+00:00"}""", billing.Body);
        Assert.Equal($"sk-or-v1-{new string('a', 64)}", created.Key);
        Assert.Equal("My app", created.Data.Name);
        Assert.Equal(7.5m, created.Data.LimitRemaining);
        Assert.Equal("monthly", created.Data.LimitReset);
    }

    [Fact]
    public async Task Key_without_a_limit_sends_no_reset_period()
    {
        var billing = new ScriptedHandler(HttpStatusCode.Created, $$"""{"data":{{KeyJson}},"key":"sk-or-v1-x"}""");

        await Create(billing).CreateKeyAsync("u1", "No limit", null, KeyLimitReset.Daily, cancellationToken: Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("""{"name":"No limit"}""", billing.Body);
    }

    [Fact]
    public async Task Credits_are_read_and_the_balance_derived()
    {
        var billing = new ScriptedHandler(HttpStatusCode.OK, """{"data":{"total_credits":20,"total_usage":0.25}}""");

        var credits = await Create(billing).GetCreditsAsync("u1", Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("http://billing/internal/accounts/u1/credits", billing.Uri);
        Assert.Equal(19.75m, credits.Balance);
    }

    [Fact]
    public async Task Billing_errors_surface_with_their_openrouter_message()
    {
        var billing = new ScriptedHandler(HttpStatusCode.BadRequest, """{"error":{"code":400,"message":"'expires_at' must be in the future"}}""");

        var error = await Assert.ThrowsAsync<BillingException>(() => Create(billing).SetKeyDisabledAsync("u1", "abc", true, Xunit.TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("'expires_at' must be in the future", error.Message);
        Assert.Equal(HttpMethod.Patch, billing.Method);
        Assert.Equal("""{"disabled":true}""", billing.Body);
    }

    [Fact]
    public async Task Answers_without_the_error_format_still_become_billing_exceptions()
    {
        var billing = new ScriptedHandler(HttpStatusCode.BadGateway, "<html>bad gateway</html>");

        var error = await Assert.ThrowsAsync<BillingException>(() => Create(billing).DeleteKeyAsync("u1", "abc", Xunit.TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Contains("502", error.Message);
    }

    [Fact]
    public async Task Unreachable_billing_is_reported_as_unavailable()
    {
        var billing = new ScriptedHandler(new HttpRequestException("Connection refused"));

        var error = await Assert.ThrowsAsync<BillingException>(() => Create(billing).EnsureAccountAsync("u1", "a@example.com", Xunit.TestContext.Current.CancellationToken));

        Assert.True(error.IsUnavailable);
        Assert.Equal("""{"email":"a@example.com"}""", billing.Body);
    }

    [Fact]
    public async Task Top_up_price_preview_reads_fee_total_and_limits()
    {
        var billing = new ScriptedHandler(HttpStatusCode.OK, """
            {"amount_usd":25.00,"fee_usd":1.38,"total_usd":26.38,"fee_percent":5.5,"minimum_fee_usd":0.80,
             "minimum_top_up_usd":5,"maximum_top_up_usd":10000,"currency":"usd"}
            """);

        var price = await Create(billing).GetTopUpPriceAsync(25.5m, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("http://billing/internal/pricing/top-up?amount_usd=25.5", billing.Uri);
        Assert.Equal(1.38m, price.FeeUsd);
        Assert.Equal(26.38m, price.TotalUsd);
        Assert.Equal(10000m, price.MaximumTopUpUsd);
    }

    [Fact]
    public async Task Checkout_is_posted_in_snake_case_and_answers_the_pay_page()
    {
        var billing = new ScriptedHandler(HttpStatusCode.Created, """
            {"session_id":"cs_test_1","url":"http://emulators/stripe/pay/cs_test_1","amount_usd":10.00,"fee_usd":0.80,"total_usd":10.80}
            """);

        var session = await Create(billing).CreateCheckoutAsync("user/1", 10m, "https://portal.example/credits/return?session_id={CHECKOUT_SESSION_ID}",
            "https://portal.example/credits", "key-1", Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpMethod.Post, billing.Method);
        Assert.Equal("http://billing/internal/accounts/user%2F1/checkout", billing.Uri);
        Assert.Equal("""{"amount_usd":10,"success_url":"https://portal.example/credits/return?session_id={CHECKOUT_SESSION_ID}","cancel_url":"https://portal.example/credits","idempotency_key":"key-1"}""",
            billing.Body);
        Assert.Equal("cs_test_1", session.SessionId);
        Assert.Equal("http://emulators/stripe/pay/cs_test_1", session.Url);
        Assert.Equal(10.80m, session.TotalUsd);
    }

    [Fact]
    public async Task Checkout_status_is_read_and_an_unknown_session_is_null()
    {
        var found = new ScriptedHandler(HttpStatusCode.OK, """
            {"session_id":"cs_test_1","status":"completed","amount_usd":10,"fee_usd":0.8,"total_usd":10.8,"balance_usd":12.5}
            """);
        var status = await Create(found).GetCheckoutAsync("u1", "cs_test_1", Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("http://billing/internal/accounts/u1/checkout/cs_test_1", found.Uri);
        Assert.Equal(CheckoutStatus.Completed, status?.Status);
        Assert.Equal(12.5m, status?.BalanceUsd);

        var missing = new ScriptedHandler(HttpStatusCode.NotFound, """{"error":{"code":404,"message":"No such checkout session for this account"}}""");
        Assert.Null(await Create(missing).GetCheckoutAsync("u1", "cs_other", Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Transactions_are_paged_with_signed_amounts()
    {
        var billing = new ScriptedHandler(HttpStatusCode.OK, """
            {"data":[{"id":"0b7f7a44-3a6c-4e41-9d8e-1b1b1b1b1b1b","kind":"refund","amount_usd":-5.0,"description":"Stripe refund",
              "created_at":"2026-03-15T12:00:00+00:00","reference":"stripe:refund:ch_1:500"}],"offset":20,"limit":10,"total":21}
            """);

        var page = await Create(billing).ListTransactionsAsync("u1", 20, 10, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("http://billing/internal/accounts/u1/transactions?offset=20&limit=10", billing.Uri);
        var transaction = Assert.Single(page.Data);
        Assert.Equal("refund", transaction.Kind);
        Assert.Equal(-5m, transaction.AmountUsd);
        Assert.Equal(21, page.Total);
    }

    private static BillingClient Create(ScriptedHandler handler)
        => new(new HttpClient(handler) { BaseAddress = new BillingOptions().BaseUrl }, NullLogger<BillingClient>.Instance);
}
