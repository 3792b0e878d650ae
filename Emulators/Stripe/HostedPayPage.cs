using System.Globalization;
using System.Net;

namespace Emulators.Stripe;

/// <summary>
/// The emulator's stand-in for Stripe's hosted Checkout page: the amount, a Pay button (<c>#pay</c>, a form
/// POST to the same address) and a Cancel link (<c>#cancel</c>) back to the cancel URL. No card details: paying
/// always succeeds.
/// </summary>
public static class HostedPayPage
{
    public static string Render(CheckoutSession session)
    {
        var amount = WebUtility.HtmlEncode(FormatAmount(session.AmountTotal, session.Currency));
        var body = session.Status == "open"
            ? $"""
              <p>Amount due: <strong id="amount">{amount}</strong></p>
              <form method="post"><button id="pay" type="submit">Pay {amount}</button></form>
              {(session.CancelUrl is null ? "" : $"""<p><a id="cancel" href="{WebUtility.HtmlEncode(session.CancelUrl)}">Cancel</a></p>""")}
              """
            : $"""
              <p id="status">This session is {WebUtility.HtmlEncode(session.Status)} ({WebUtility.HtmlEncode(session.PaymentStatus)}).</p>
              <p><a id="continue" href="{WebUtility.HtmlEncode(CheckoutSessions.SuccessRedirect(session))}">Continue</a></p>
              """;
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Stripe emulator checkout</title></head>
            <body>
            <h1>Stripe emulator checkout</h1>
            <p>Test mode: no card is charged. Session <code>{WebUtility.HtmlEncode(session.Id)}</code></p>
            {body}
            </body>
            </html>
            """;
    }

    /// <summary>Amounts are in the currency's smallest unit; two decimals covers USD and EUR, which is all Billing uses.</summary>
    private static string FormatAmount(long amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount / 100m:0.00} {currency.ToUpperInvariant()}");
}

/// <summary>303 See Other: after the Pay form's POST the browser follows with a GET, as after Stripe's own page.</summary>
public sealed class SeeOtherResult(string location) : IResult
{
    public string Location => location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
