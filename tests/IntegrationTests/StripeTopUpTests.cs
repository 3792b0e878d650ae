using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stripe;

namespace IntegrationTests;

/// <summary>
/// Stripe Checkout top-ups end to end: billing's internal API creates the session at the Stripe emulator, the
/// emulator's signed webhook credits the account once (replays included), forged or stale signatures are refused,
/// and refunds and disputes take the credits back.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class StripeTopUpTests(AppHostFixture fixture)
{
    private const string SuccessUrl = "https://portal.example/credits?session_id={CHECKOUT_SESSION_ID}";
    private const string CancelUrl = "https://portal.example/credits";
    private static readonly TimeSpan WebhookWait = TimeSpan.FromSeconds(30);

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task A_paid_checkout_credits_the_amount_once_even_when_Stripe_replays_the_event()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);

        using var preview = JsonDocument.Parse(await billing.GetStringAsync("/internal/pricing/top-up?amount_usd=20", Timeout));
        Assert.Equal(1.10m, preview.RootElement.GetProperty("fee_usd").GetDecimal());
        Assert.Equal(21.10m, preview.RootElement.GetProperty("total_usd").GetDecimal());

        var created = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/checkout",
            new { amount_usd = 20m, success_url = SuccessUrl, cancel_url = CancelUrl }, Timeout);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var checkout = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Timeout));
        var sessionId = checkout.RootElement.GetProperty("session_id").GetString()!;
        Assert.StartsWith("cs_test_", sessionId);
        Assert.EndsWith($"/stripe/pay/{sessionId}", checkout.RootElement.GetProperty("url").GetString());
        Assert.Equal(20m, checkout.RootElement.GetProperty("amount_usd").GetDecimal());
        Assert.Equal(1.10m, checkout.RootElement.GetProperty("fee_usd").GetDecimal());
        Assert.Equal(21.10m, checkout.RootElement.GetProperty("total_usd").GetDecimal());
        Assert.Equal("pending", (await StatusAsync(billing, owner, sessionId)).Status);

        var stripe = CreateStripeClient();
        var session = await new Stripe.Checkout.SessionService(stripe).GetAsync(sessionId, cancellationToken: Timeout);
        Assert.Equal(2110, session.AmountTotal);
        Assert.Equal("20.00", session.Metadata["credits_usd"]);
        Assert.Equal("1.10", session.Metadata["fee_usd"]);

        await CompleteAsync(sessionId);
        await WaitUntilAsync(async () => (await StatusAsync(billing, owner, sessionId)).Status == "completed");
        Assert.Equal(20m, await TotalCreditsAsync(billing, owner));
        Assert.Equal(20m, (await StatusAsync(billing, owner, sessionId)).BalanceUsd);

        var eventId = await EventIdAsync("checkout.session.completed", sessionId);
        using var emulators = CreateEmulatorsClient();
        var replay = await emulators.PostAsync($"/stripe/emulator/events/{eventId}/replay", null, Timeout);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await WaitUntilAsync(async () => (await DeliveriesAsync(eventId)).Count(delivery => delivery.Succeeded) >= 2);

        Assert.Equal(20m, await TotalCreditsAsync(billing, owner));
        var topUp = Assert.Single(await TransactionsAsync(billing, owner), transaction => transaction.Kind == "top_up");
        Assert.Equal(20m, topUp.AmountUsd);
        Assert.Equal($"stripe:session:{sessionId}", topUp.Reference);

        // The gateway's public key API sees the same credits.
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        using var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
        Assert.Equal(20m, credits.RootElement.GetProperty("data").GetProperty("total_credits").GetDecimal());
    }

    [Fact]
    public async Task An_idempotency_key_returns_the_same_session()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var request = new { amount_usd = 7.5m, success_url = SuccessUrl, cancel_url = CancelUrl, idempotency_key = Guid.NewGuid().ToString() };

        var first = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/checkout", request, Timeout);
        var second = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/checkout", request, Timeout);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        using var firstJson = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Timeout));
        using var secondJson = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(firstJson.RootElement.GetProperty("session_id").GetString(), secondJson.RootElement.GetProperty("session_id").GetString());
        Assert.Equal(0.80m, firstJson.RootElement.GetProperty("fee_usd").GetDecimal());
    }

    [Theory]
    [InlineData(4.99, SuccessUrl)]
    [InlineData(10000.01, SuccessUrl)]
    [InlineData(10.001, SuccessUrl)]
    [InlineData(10, "not a url")]
    [InlineData(10, "ftp://portal.example/credits")]
    public async Task Amounts_outside_the_limits_and_bad_urls_are_400(double amountUsd, string successUrl)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);

        var response = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/checkout",
            new { amount_usd = (decimal)amountUsd, success_url = successUrl, cancel_url = CancelUrl }, Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(await TransactionsAsync(billing, owner));
    }

    [Fact]
    public async Task Another_owner_cannot_read_the_session()
    {
        var alice = await TestAccounts.CreateAsync(fixture.App);
        var bob = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var sessionId = await CreateCheckoutAsync(billing, alice, 10m);

        var asBob = await billing.GetAsync($"/internal/accounts/{bob.UserId}/checkout/{sessionId}", Timeout);
        var asAlice = await billing.GetAsync($"/internal/accounts/{alice.UserId}/checkout/{sessionId}", Timeout);

        Assert.Equal(HttpStatusCode.NotFound, asBob.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAlice.StatusCode);
    }

    [Fact]
    public async Task Forged_or_stale_signatures_are_400_and_credit_nothing()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var sessionId = await CreateCheckoutAsync(billing, owner, 20m);
        var secret = await TestAppHost.GetParameterValueAsync(fixture.App, "stripe-webhook-secret");
        var body = PaidSessionEvent(sessionId, amountTotal: 2110);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var direct = fixture.App.CreateHttpClient("billing");
        using var gateway = fixture.CreateGatewayClient();
        var forged = await PostWebhookAsync(direct, body, Sign(body, "whsec_forged", now));
        var forgedThroughGateway = await PostWebhookAsync(gateway, body, Sign(body, "whsec_forged", now));
        var stale = await PostWebhookAsync(direct, body, Sign(body, secret, now - 3600));
        var unsigned = await PostWebhookAsync(direct, body, signature: null);

        foreach (var response in new[] { forged, forgedThroughGateway, stale, unsigned })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
            Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
        Assert.Equal(0m, await TotalCreditsAsync(billing, owner));
        Assert.Equal("pending", (await StatusAsync(billing, owner, sessionId)).Status);

        // The same body, correctly signed now, is accepted: only the signature and its age made the difference.
        var genuine = await PostWebhookAsync(gateway, body, Sign(body, secret, now));
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(20m, await TotalCreditsAsync(billing, owner));
        var again = await PostWebhookAsync(direct, body, Sign(body, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(20m, await TotalCreditsAsync(billing, owner));
    }

    [Fact]
    public async Task A_session_paid_for_another_amount_is_not_credited()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var sessionId = await CreateCheckoutAsync(billing, owner, 20m);
        var secret = await TestAppHost.GetParameterValueAsync(fixture.App, "stripe-webhook-secret");
        var body = PaidSessionEvent(sessionId, amountTotal: 100);
        using var direct = fixture.App.CreateHttpClient("billing");

        var response = await PostWebhookAsync(direct, body, Sign(body, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0m, await TotalCreditsAsync(billing, owner));
        Assert.Equal("pending", (await StatusAsync(billing, owner, sessionId)).Status);
    }

    [Fact]
    public async Task An_emulator_replay_signed_with_an_old_timestamp_is_refused()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var sessionId = await TestAccounts.TopUpThroughStripeAsync(fixture.App, owner, 10m);
        var eventId = await EventIdAsync("checkout.session.completed", sessionId);
        var old = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();

        using var emulators = CreateEmulatorsClient();
        var replay = await emulators.PostAsync($"/stripe/emulator/events/{eventId}/replay?timestamp={old}", null, Timeout);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);

        await WaitUntilAsync(async () => (await DeliveriesAsync(eventId)).Any(delivery => delivery.SignatureTimestamp == old));
        var stale = (await DeliveriesAsync(eventId)).First(delivery => delivery.SignatureTimestamp == old);
        Assert.Equal(400, stale.StatusCode);
        Assert.False(stale.Succeeded);
        Assert.Equal(10m, await TotalCreditsAsync(billing, owner));
    }

    [Fact]
    public async Task Refunds_reverse_credits_step_by_step_even_into_a_negative_balance()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var sessionId = await TestAccounts.TopUpThroughStripeAsync(fixture.App, owner, 20m);
        var stripe = CreateStripeClient();
        var paymentIntent = (await new Stripe.Checkout.SessionService(stripe).GetAsync(sessionId, cancellationToken: Timeout)).PaymentIntentId;
        var refunds = new RefundService(stripe);

        // Half of the $21.10 charged: half of the $20 credits.
        await refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = paymentIntent, Amount = 1055 }, cancellationToken: Timeout);
        await WaitUntilAsync(async () => await TotalCreditsAsync(billing, owner) == 10m);

        // Spend (here: an administrator takes) 5 of the 10 left; the rest of the refund then goes below zero.
        Assert.Equal(5m, await TestAccounts.AdjustCreditsAsync(fixture.App, owner, -5m));
        await refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = paymentIntent }, cancellationToken: Timeout);
        await WaitUntilAsync(async () => (await StatusAsync(billing, owner, sessionId)).Status == "refunded");

        var status = await StatusAsync(billing, owner, sessionId);
        Assert.Equal(-5m, status.BalanceUsd);
        var reversals = (await TransactionsAsync(billing, owner)).Where(transaction => transaction.Kind == "refund").ToList();
        Assert.Equal([-10m, -10m], reversals.Select(transaction => transaction.AmountUsd));
        Assert.Contains(reversals, transaction => transaction.Reference.EndsWith(":2110", StringComparison.Ordinal));

        // Replaying a refund event changes nothing.
        var refundEvent = await EventIdAsync("charge.refunded", paymentIntent);
        using var emulators = CreateEmulatorsClient();
        Assert.Equal(HttpStatusCode.Accepted, (await emulators.PostAsync($"/stripe/emulator/events/{refundEvent}/replay", null, Timeout)).StatusCode);
        await WaitUntilAsync(async () => (await DeliveriesAsync(refundEvent)).Count(delivery => delivery.Succeeded) >= 2);
        Assert.Equal(-5m, (await StatusAsync(billing, owner, sessionId)).BalanceUsd);
    }

    [Fact]
    public async Task A_dispute_reverses_the_whole_top_up()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 3m);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var sessionId = await TestAccounts.TopUpThroughStripeAsync(fixture.App, owner, 50m);
        Assert.Equal(53m, (await StatusAsync(billing, owner, sessionId)).BalanceUsd);
        var stripe = CreateStripeClient();
        var paymentIntent = (await new Stripe.Checkout.SessionService(stripe).GetAsync(sessionId, cancellationToken: Timeout)).PaymentIntentId;

        using var emulators = CreateEmulatorsClient();
        var dispute = await emulators.PostAsync($"/stripe/emulator/payment_intents/{paymentIntent}/dispute", null, Timeout);
        Assert.Equal(HttpStatusCode.OK, dispute.StatusCode);
        await WaitUntilAsync(async () => (await StatusAsync(billing, owner, sessionId)).Status == "disputed");

        Assert.Equal(3m, (await StatusAsync(billing, owner, sessionId)).BalanceUsd);
        var chargeback = Assert.Single(await TransactionsAsync(billing, owner), transaction => transaction.Kind == "chargeback");
        Assert.Equal(-50m, chargeback.AmountUsd);
        Assert.StartsWith("stripe:dispute:dp_", chargeback.Reference);
    }

    private sealed record CheckoutStatus(string Status, decimal BalanceUsd);

    private sealed record Transaction(string Kind, decimal AmountUsd, string Reference);

    private sealed record Delivery(int? StatusCode, bool Succeeded, long SignatureTimestamp);

    private static async Task<string> CreateCheckoutAsync(HttpClient billing, TestAccount owner, decimal amountUsd)
    {
        var created = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/checkout",
            new { amount_usd = amountUsd, success_url = SuccessUrl, cancel_url = CancelUrl }, Timeout);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Timeout));
        return json.RootElement.GetProperty("session_id").GetString()!;
    }

    private static async Task<CheckoutStatus> StatusAsync(HttpClient billing, TestAccount owner, string sessionId)
    {
        using var json = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{owner.UserId}/checkout/{sessionId}", Timeout));
        return new(json.RootElement.GetProperty("status").GetString()!, json.RootElement.GetProperty("balance_usd").GetDecimal());
    }

    private static async Task<decimal> TotalCreditsAsync(HttpClient billing, TestAccount owner)
    {
        using var json = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{owner.UserId}/credits", Timeout));
        return json.RootElement.GetProperty("data").GetProperty("total_credits").GetDecimal();
    }

    private static async Task<IReadOnlyList<Transaction>> TransactionsAsync(HttpClient billing, TestAccount owner)
    {
        using var json = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{owner.UserId}/transactions?limit=200", Timeout));
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(row => new Transaction(
            row.GetProperty("kind").GetString()!, row.GetProperty("amount_usd").GetDecimal(), row.GetProperty("reference").GetString()!))];
    }

    private async Task CompleteAsync(string sessionId)
    {
        using var emulators = CreateEmulatorsClient();
        var completed = await emulators.PostAsync($"/stripe/emulator/checkout/sessions/{sessionId}/complete", null, Timeout);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
    }

    /// <summary>The emulator's event of this type about the object (a session id, or a payment intent for charge events).</summary>
    private async Task<string> EventIdAsync(string type, string objectId)
    {
        string? found = null;
        await WaitUntilAsync(async () =>
        {
            using var emulators = CreateEmulatorsClient();
            using var events = JsonDocument.Parse(await emulators.GetStringAsync($"/stripe/emulator/events?type={type}", Timeout));
            found = events.RootElement.GetProperty("data").EnumerateArray()
                .Where(stripeEvent => stripeEvent.GetProperty("data").GetProperty("object").GetRawText().Contains($"\"{objectId}\"", StringComparison.Ordinal))
                .Select(stripeEvent => stripeEvent.GetProperty("id").GetString())
                .FirstOrDefault();
            return found is not null;
        });
        return found!;
    }

    private async Task<IReadOnlyList<Delivery>> DeliveriesAsync(string eventId)
    {
        using var emulators = CreateEmulatorsClient();
        using var json = JsonDocument.Parse(await emulators.GetStringAsync($"/stripe/emulator/deliveries?event_id={eventId}", Timeout));
        return [.. json.RootElement.EnumerateArray().Select(delivery => new Delivery(
            delivery.GetProperty("status_code").ValueKind == JsonValueKind.Number ? delivery.GetProperty("status_code").GetInt32() : null,
            delivery.GetProperty("succeeded").GetBoolean(),
            delivery.GetProperty("signature_timestamp").GetInt64()))];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(WebhookWait);
        while (!await condition())
        {
            await Task.Delay(200, timeout.Token);
        }
    }

    private HttpClient CreateEmulatorsClient()
    {
        var client = fixture.App.CreateHttpClient("emulators");
        client.Timeout = TestAppHost.RequestTimeout;
        return client;
    }

    /// <summary>Stripe.net pointed at the emulator, the way billing is configured.</summary>
    private StripeClient CreateStripeClient() => new(new StripeClientOptions
    {
        ApiKey = "sk_test_emulator",
        ApiBase = new Uri(fixture.App.GetEndpoint("emulators", "http"), "stripe").ToString(),
    });

    private static async Task<HttpResponseMessage> PostWebhookAsync(HttpClient client, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("Stripe-Signature", signature);
        }
        return await client.SendAsync(request, Timeout);
    }

    /// <summary>Stripe's scheme: <c>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{body}"&gt;</c>.</summary>
    private static string Sign(string body, string secret, long timestamp)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private static string PaidSessionEvent(string sessionId, long amountTotal) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = $"evt_test_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["type"] = "checkout.session.completed",
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["data"] = new Dictionary<string, object?>
        {
            ["object"] = new Dictionary<string, object?>
            {
                ["id"] = sessionId,
                ["object"] = "checkout.session",
                ["mode"] = "payment",
                ["status"] = "complete",
                ["payment_status"] = "paid",
                ["amount_total"] = amountTotal,
                ["currency"] = "usd",
                ["payment_intent"] = $"pi_test_{Guid.NewGuid():N}",
                ["metadata"] = new Dictionary<string, string>(),
            },
        },
    });
}
