using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stripe;
using Stripe.Checkout;

namespace UnitTests.Emulators;

/// <summary>
/// Signed webhook delivery, checked with Stripe.net's own <see cref="EventUtility"/> as Billing will check it:
/// signatures, retries, replays, refunds and disputes.
/// </summary>
public class StripeWebhookTests(StripeEmulatorFixture fixture) : IClassFixture<StripeEmulatorFixture>
{
    private const string Main = StripeEmulatorFixture.MainEndpoint;

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private async Task<Session> CreatePaidSessionAsync()
    {
        var session = await new SessionService(fixture.Stripe).CreateAsync(StripeRequests.TopUp(unitAmount: 1000), cancellationToken: CancellationToken);
        using var completion = await fixture.Client.PostAsync($"/stripe/emulator/checkout/sessions/{session.Id}/complete", null, CancellationToken);
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        return await new SessionService(fixture.Stripe).GetAsync(session.Id, cancellationToken: CancellationToken);
    }

    private async Task<ReceivedWebhook> WaitForEventAboutAsync(string endpoint, string objectId, string type)
    {
        var webhooks = await fixture.Receiver.WaitForAsync(endpoint, webhook => webhook.ObjectId == objectId && webhook.Body.Contains($"\"type\":\"{type}\""));
        return webhooks[0];
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await fixture.Client.GetAsync(path, CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await EmulatorHttp.ReadJsonAsync(response);
    }

    private async Task<string> RegisterEndpointAsync(string name, string secret)
    {
        using var response = await fixture.Client.PostAsJsonAsync("/stripe/emulator/webhooks", new { url = fixture.Receiver.UrlFor(name), secret }, CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task The_completed_event_verifies_with_Stripe_net_and_carries_the_paid_session()
    {
        var session = await CreatePaidSessionAsync();

        var webhook = await WaitForEventAboutAsync(Main, session.Id, "checkout.session.completed");
        var stripeEvent = EventUtility.ConstructEvent(webhook.Body, webhook.Signature, StripeEmulatorFixture.MainSecret);

        Assert.StartsWith("evt_", stripeEvent.Id);
        Assert.Equal(EventTypes.CheckoutSessionCompleted, stripeEvent.Type);
        Assert.Equal(StripeConfiguration.ApiVersion, stripeEvent.ApiVersion);
        Assert.False(stripeEvent.Livemode);
        var paid = Assert.IsType<Session>(stripeEvent.Data.Object);
        Assert.Equal(session.Id, paid.Id);
        Assert.Equal("paid", paid.PaymentStatus);
        Assert.Equal(session.PaymentIntentId, paid.PaymentIntentId);
        Assert.Equal(1000, paid.AmountTotal);
        Assert.Equal("42", paid.Metadata["user_id"]);
    }

    [Fact]
    public async Task A_webhook_checked_with_the_wrong_secret_is_rejected()
    {
        var session = await CreatePaidSessionAsync();
        var webhook = await WaitForEventAboutAsync(Main, session.Id, "checkout.session.completed");

        var error = Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(webhook.Body, webhook.Signature, "whsec_someone_else"));
        Assert.Contains("signature", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Paying_twice_publishes_one_event()
    {
        var session = await CreatePaidSessionAsync();
        using var again = await fixture.BrowserWithoutRedirects.PostAsync($"/stripe/pay/{session.Id}", null, CancellationToken);
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var afterSecondPayment = await new SessionService(fixture.Stripe).GetAsync(session.Id, cancellationToken: CancellationToken);

        Assert.Equal(session.PaymentIntentId, afterSecondPayment.PaymentIntentId);
        var events = (await GetJsonAsync("/stripe/emulator/events?type=checkout.session.completed")).GetProperty("data").EnumerateArray()
            .Where(stripeEvent => stripeEvent.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == session.Id);
        Assert.Single(events);
    }

    [Fact]
    public async Task A_failing_endpoint_gets_the_same_event_again_until_it_answers_2xx()
    {
        const string endpoint = "flaky";
        const string secret = "whsec_flaky";
        await RegisterEndpointAsync(endpoint, secret);
        fixture.Receiver.FailNext(endpoint, 2);

        var session = await CreatePaidSessionAsync();

        var deliveries = await fixture.Receiver.WaitForAsync(endpoint, webhook => webhook.ObjectId == session.Id, count: 3);
        Assert.Single(deliveries.Select(webhook => webhook.EventId).Distinct());
        Assert.All(deliveries, webhook => EventUtility.ConstructEvent(webhook.Body, webhook.Signature, secret));

        var attempts = (await GetJsonAsync($"/stripe/emulator/deliveries?event_id={deliveries[0].EventId}")).EnumerateArray()
            .Where(attempt => attempt.GetProperty("endpoint_url").GetString() == fixture.Receiver.UrlFor(endpoint))
            .ToList();
        Assert.Equal([1, 2, 3], attempts.Select(attempt => attempt.GetProperty("attempt").GetInt32()));
        Assert.Equal([500, 500, 200], attempts.Select(attempt => attempt.GetProperty("status_code").GetInt32()));
        Assert.Equal([false, false, true], attempts.Select(attempt => attempt.GetProperty("succeeded").GetBoolean()));
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_gets_the_configured_number_of_attempts()
    {
        const string endpoint = "down";
        var endpointId = await RegisterEndpointAsync(endpoint, "whsec_down");
        fixture.Receiver.FailNext(endpoint, 100);

        var session = await CreatePaidSessionAsync();
        var deliveries = await fixture.Receiver.WaitForAsync(endpoint, webhook => webhook.ObjectId == session.Id, count: StripeEmulatorFixture.MaxAttempts);
        using var removal = await fixture.Client.DeleteAsync($"/stripe/emulator/webhooks/{endpointId}", CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, removal.StatusCode);

        // Longer than the last retry's wait (50 ms doubled), so a further attempt would have arrived.
        await Task.Delay(500, CancellationToken);
        Assert.Equal(StripeEmulatorFixture.MaxAttempts, fixture.Receiver.Received(endpoint).Count(webhook => webhook.EventId == deliveries[0].EventId));
    }

    [Fact]
    public async Task A_replay_delivers_the_same_event_again_with_a_valid_signature()
    {
        var session = await CreatePaidSessionAsync();
        var original = await WaitForEventAboutAsync(Main, session.Id, "checkout.session.completed");

        using var replay = await fixture.Client.PostAsync($"/stripe/emulator/events/{original.EventId}/replay", null, CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.True((await EmulatorHttp.ReadJsonAsync(replay)).GetProperty("deliveries").GetInt32() >= 1);

        var both = await fixture.Receiver.WaitForAsync(Main, webhook => webhook.EventId == original.EventId, count: 2);
        Assert.Equal(original.Body, both[1].Body);
        Assert.Equal(original.EventId, EventUtility.ConstructEvent(both[1].Body, both[1].Signature, StripeEmulatorFixture.MainSecret).Id);
    }

    [Fact]
    public async Task A_replay_signed_an_hour_ago_fails_the_tolerance_check_but_not_the_signature()
    {
        var session = await CreatePaidSessionAsync();
        var original = await WaitForEventAboutAsync(Main, session.Id, "checkout.session.completed");
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();

        using var replay = await fixture.Client.PostAsync($"/stripe/emulator/events/{original.EventId}/replay?timestamp={anHourAgo}", null, CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var stale = await fixture.Receiver.WaitForAsync(Main, webhook => webhook.EventId == original.EventId && webhook.Signature.StartsWith($"t={anHourAgo},"));

        var error = Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(stale[0].Body, stale[0].Signature, StripeEmulatorFixture.MainSecret));
        Assert.Contains("tolerance", error.Message);
        Assert.Equal(original.EventId, EventUtility.ConstructEvent(stale[0].Body, stale[0].Signature, StripeEmulatorFixture.MainSecret, tolerance: 7200).Id);
    }

    [Fact]
    public async Task Replaying_an_unknown_event_is_404()
    {
        using var replay = await fixture.Client.PostAsync("/stripe/emulator/events/evt_missing/replay", null, CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
    }

    [Fact]
    public async Task Refunds_emit_charge_refunded_until_nothing_is_left_to_refund()
    {
        var session = await CreatePaidSessionAsync();
        var refunds = new RefundService(fixture.Stripe);

        var partial = await refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = session.PaymentIntentId, Amount = 400 }, cancellationToken: CancellationToken);
        Assert.StartsWith("re_", partial.Id);
        Assert.Equal(400, partial.Amount);
        Assert.Equal(session.PaymentIntentId, partial.PaymentIntentId);
        var rest = await refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = session.PaymentIntentId }, cancellationToken: CancellationToken);
        Assert.Equal(600, rest.Amount);
        var nothingLeft = await Assert.ThrowsAsync<StripeException>(() =>
            refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = session.PaymentIntentId }, cancellationToken: CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, nothingLeft.HttpStatusCode);

        var charges = (await fixture.Receiver.WaitForAsync(Main, webhook => webhook.Body.Contains(session.PaymentIntentId) && webhook.Body.Contains("\"type\":\"charge.refunded\""), count: 2))
            .Select(webhook => EventUtility.ConstructEvent(webhook.Body, webhook.Signature, StripeEmulatorFixture.MainSecret))
            .Select(stripeEvent => Assert.IsType<Charge>(stripeEvent.Data.Object))
            .OrderBy(charge => charge.AmountRefunded)
            .ToList();
        Assert.Equal([400L, 1000L], charges.Select(charge => charge.AmountRefunded));
        Assert.Equal([false, true], charges.Select(charge => charge.Refunded));
        Assert.All(charges, charge => Assert.Equal(1000, charge.Amount));
        Assert.All(charges, charge => Assert.Equal(session.PaymentIntentId, charge.PaymentIntentId));
    }

    [Fact]
    public async Task Refunding_an_unknown_payment_intent_is_a_Stripe_400()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() =>
            new RefundService(fixture.Stripe).CreateAsync(new RefundCreateOptions { PaymentIntent = "pi_unknown" }, cancellationToken: CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("resource_missing", error.StripeError.Code);
        Assert.Equal("payment_intent", error.StripeError.Param);
    }

    [Fact]
    public async Task A_dispute_emits_charge_dispute_created_with_a_Stripe_net_Dispute()
    {
        var session = await CreatePaidSessionAsync();

        using var response = await fixture.Client.PostAsync($"/stripe/emulator/payment_intents/{session.PaymentIntentId}/dispute?amount=700", null, CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var webhook = (await fixture.Receiver.WaitForAsync(Main, webhook => webhook.Body.Contains(session.PaymentIntentId) && webhook.Body.Contains("\"type\":\"charge.dispute.created\"")))[0];
        var stripeEvent = EventUtility.ConstructEvent(webhook.Body, webhook.Signature, StripeEmulatorFixture.MainSecret);
        var dispute = Assert.IsType<Dispute>(stripeEvent.Data.Object);
        Assert.StartsWith("dp_", dispute.Id);
        Assert.Equal(700, dispute.Amount);
        Assert.Equal(session.PaymentIntentId, dispute.PaymentIntentId);
        Assert.Equal("needs_response", dispute.Status);
    }

    [Fact]
    public async Task Events_can_be_fetched_through_the_Stripe_API()
    {
        var session = await CreatePaidSessionAsync();
        var webhook = await WaitForEventAboutAsync(Main, session.Id, "checkout.session.completed");

        var stripeEvent = await new EventService(fixture.Stripe).GetAsync(webhook.EventId, cancellationToken: CancellationToken);

        Assert.Equal(EventTypes.CheckoutSessionCompleted, stripeEvent.Type);
        Assert.Equal(session.Id, Assert.IsType<Session>(stripeEvent.Data.Object).Id);
    }
}
