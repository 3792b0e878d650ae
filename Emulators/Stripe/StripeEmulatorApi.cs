using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Emulators.Stripe;

/// <summary>
/// The part of Stripe's API that Checkout top-ups use, under <c>/stripe</c> so Stripe.net can be pointed at it
/// with <c>ApiBase = "http://emulators/stripe"</c>: Checkout Sessions, refunds and events, plus the hosted pay
/// page a session's <c>url</c> leads to.
/// </summary>
public static class StripeEmulatorApi
{
    public const string RoutePrefix = "/stripe";

    public static IEndpointRouteBuilder MapStripeEmulatorApi(this IEndpointRouteBuilder endpoints)
    {
        var stripe = endpoints.MapGroup(RoutePrefix);

        var api = stripe.MapGroup("/v1").AddEndpointFilter(StripeApiKey.RequireTestKeyAsync);
        api.MapPost("/checkout/sessions", CreateCheckoutSessionAsync);
        api.MapGet("/checkout/sessions/{id}", GetCheckoutSession);
        api.MapPost("/refunds", CreateRefundAsync);
        api.MapGet("/events/{id}", GetEvent);

        stripe.MapGet("/pay/{id}", ShowPayPage);
        stripe.MapPost("/pay/{id}", Pay);
        return endpoints;
    }

    private static async Task<IResult> CreateCheckoutSessionAsync(
        HttpRequest request, CheckoutSessions sessions, IdempotentRequests idempotentRequests,
        IOptions<StripeEmulatorOptions> options, CancellationToken cancellationToken)
    {
        var form = await StripeForm.ReadAsync(request, cancellationToken);
        var (sessionRequest, error) = CheckoutSessionRequest.Read(form);
        if (sessionRequest is null)
        {
            return StripeErrors.BadRequest(error!);
        }

        var stripeBase = options.Value.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}{RoutePrefix}";
        return idempotentRequests.Run(request, $"{request.Path}?{form.Fingerprint()}", () =>
            TypedResults.Json(sessions.Create(sessionRequest, $"{stripeBase.TrimEnd('/')}/pay"), StripeJsonContext.Default.CheckoutSession));
    }

    private static Results<JsonHttpResult<CheckoutSession>, JsonHttpResult<StripeErrorResponse>> GetCheckoutSession(string id, CheckoutSessions sessions) =>
        sessions.Find(id) is { } session
            ? TypedResults.Json(session, StripeJsonContext.Default.CheckoutSession)
            : StripeErrors.NotFound(StripeErrors.NoSuch("checkout.session", "session", id));

    private static async Task<IResult> CreateRefundAsync(
        HttpRequest request, Payments payments, IdempotentRequests idempotentRequests, CancellationToken cancellationToken)
    {
        var form = await StripeForm.ReadAsync(request, cancellationToken);
        if (form["charge"] is not null)
        {
            return StripeErrors.BadRequest(StripeErrors.InvalidParam("charge", "The Stripe emulator refunds by payment_intent only."));
        }
        if (form["payment_intent"] is not { } paymentIntent)
        {
            return StripeErrors.BadRequest(StripeErrors.MissingParam("payment_intent"));
        }
        long? amount = null;
        if (form["amount"] is not null)
        {
            var (value, amountError) = form.Integer("amount", minimum: 1, CheckoutSessionRequest.MaxAmount);
            if (value is null)
            {
                return StripeErrors.BadRequest(amountError!);
            }
            amount = value;
        }
        var reason = form["reason"];
        if (reason is not (null or "duplicate" or "fraudulent" or "requested_by_customer"))
        {
            return StripeErrors.BadRequest(StripeErrors.InvalidParam("reason", $"Invalid reason: '{reason}'. Must be one of duplicate, fraudulent, or requested_by_customer."));
        }

        var idempotencyKey = request.Headers[IdempotentRequests.HeaderName].ToString();
        return idempotentRequests.Run(request, $"{request.Path}?{form.Fingerprint()}", () =>
        {
            var (refund, error) = payments.Refund(paymentIntent, amount, reason, idempotencyKey is "" ? null : idempotencyKey);
            return refund is null
                ? StripeErrors.BadRequest(error!)
                : TypedResults.Json(refund, StripeJsonContext.Default.Refund);
        });
    }

    private static Results<JsonHttpResult<StripeEvent>, JsonHttpResult<StripeErrorResponse>> GetEvent(string id, StripeEvents events) =>
        events.Find(id) is { } stripeEvent
            ? TypedResults.Json(stripeEvent, StripeJsonContext.Default.StripeEvent)
            : StripeErrors.NotFound(StripeErrors.NoSuch("event", "id", id));

    private static Results<ContentHttpResult, NotFound<string>> ShowPayPage(string id, CheckoutSessions sessions) =>
        sessions.Find(id) is { } session
            ? TypedResults.Content(HostedPayPage.Render(session), "text/html; charset=utf-8")
            : TypedResults.NotFound($"No such checkout session: {id}");

    /// <summary>What the Pay button does: completes the session (once) and sends the browser to the success URL.</summary>
    private static Results<SeeOtherResult, NotFound<string>> Pay(string id, CheckoutSessions sessions) =>
        sessions.Complete(id) is { } session
            ? new SeeOtherResult(CheckoutSessions.SuccessRedirect(session))
            : TypedResults.NotFound($"No such checkout session: {id}");
}
