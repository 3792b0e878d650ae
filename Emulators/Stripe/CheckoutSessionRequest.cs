namespace Emulators.Stripe;

/// <summary>One <c>line_items[i]</c> entry with inline <c>price_data</c>, the only kind the emulator prices.</summary>
public sealed record CheckoutLineItem(string Name, string Currency, long UnitAmount, long Quantity)
{
    public long Amount => UnitAmount * Quantity;
}

/// <summary>The fields of <c>POST /v1/checkout/sessions</c> the emulator understands, read from Stripe's form encoding.</summary>
public sealed record CheckoutSessionRequest(
    IReadOnlyList<CheckoutLineItem> LineItems,
    string SuccessUrl,
    string? CancelUrl,
    string? ClientReferenceId,
    string? CustomerEmail,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Stripe's largest charge, $999,999.99 in cents; it also keeps the sums far from overflowing.</summary>
    public const long MaxAmount = 99_999_999;

    private const long MaxQuantity = 999_999;

    public string Currency => LineItems[0].Currency;

    public long AmountTotal => LineItems.Sum(item => item.Amount);

    /// <summary>Reads and validates the form: the request, or the first problem as Stripe would report it.</summary>
    public static (CheckoutSessionRequest? Request, StripeError? Error) Read(StripeForm form)
    {
        var mode = form["mode"];
        if (mode is null)
        {
            return (null, StripeErrors.MissingParam("mode"));
        }
        if (mode != "payment")
        {
            return (null, StripeErrors.InvalidParam("mode", $"Invalid mode: '{mode}'. The Stripe emulator supports only mode=payment."));
        }

        var lineItems = new List<CheckoutLineItem>();
        for (var index = 0; form.HasFieldsUnder($"line_items[{index}]"); index++)
        {
            var (item, error) = ReadLineItem(form, $"line_items[{index}]");
            if (item is null)
            {
                return (null, error);
            }
            lineItems.Add(item);
        }
        if (lineItems.Count == 0)
        {
            return (null, StripeErrors.MissingParam("line_items"));
        }
        if (lineItems.Any(item => item.Currency != lineItems[0].Currency))
        {
            return (null, StripeErrors.InvalidParam("line_items", "All line items must use the same currency."));
        }
        if (lineItems.Sum(item => item.Amount) > MaxAmount)
        {
            return (null, new StripeError("invalid_request_error", $"The total amount must be at most {MaxAmount}.", "line_items", "amount_too_large"));
        }

        if (form["success_url"] is not { } successUrl)
        {
            return (null, StripeErrors.MissingParam("success_url"));
        }
        foreach (var (param, url) in new[] { ("success_url", successUrl), ("cancel_url", form["cancel_url"]) })
        {
            if (url is not null && !StripeEmulatorOptionsValidator.IsHttpUrl(url))
            {
                return (null, StripeErrors.InvalidParam(param, $"Not a valid URL: {param} must be an absolute http(s) URL."));
            }
        }

        return (new CheckoutSessionRequest(
            lineItems, successUrl, form["cancel_url"], form["client_reference_id"], form["customer_email"], form.Hash("metadata")), null);
    }

    private static (CheckoutLineItem? Item, StripeError? Error) ReadLineItem(StripeForm form, string prefix)
    {
        if (form[$"{prefix}[price]"] is not null)
        {
            return (null, StripeErrors.InvalidParam($"{prefix}[price]", "The Stripe emulator has no Price objects: use price_data instead."));
        }

        var priceData = $"{prefix}[price_data]";
        if (form[$"{priceData}[currency]"] is not { } currency)
        {
            return (null, StripeErrors.MissingParam($"{priceData}[currency]"));
        }
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            return (null, StripeErrors.InvalidParam($"{priceData}[currency]", $"Invalid currency: {currency}."));
        }
        var (unitAmount, amountError) = form.Integer($"{priceData}[unit_amount]", minimum: 1, MaxAmount);
        if (unitAmount is null)
        {
            return (null, amountError);
        }
        if (form[$"{priceData}[product_data][name]"] is not { } name)
        {
            return (null, StripeErrors.MissingParam($"{priceData}[product_data][name]"));
        }
        var (quantity, quantityError) = form.Integer($"{prefix}[quantity]", minimum: 1, MaxQuantity);
        if (quantity is null)
        {
            return (null, quantityError);
        }
        return (new CheckoutLineItem(name, currency.ToLowerInvariant(), unitAmount.Value, quantity.Value), null);
    }
}
