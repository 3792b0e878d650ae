using System.Globalization;

namespace Emulators.Stripe;

/// <summary>
/// A Stripe API form body. Stripe (and Stripe.net's FormEncoder) send nested fields as bracketed keys:
/// <c>line_items[0][price_data][unit_amount]=500</c>, <c>metadata[user_id]=42</c>.
/// </summary>
public sealed class StripeForm(IFormCollection form)
{
    public static async Task<StripeForm> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        new(request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : FormCollection.Empty);

    /// <summary>The field's value, or null when it is missing or empty (Stripe treats both as unset).</summary>
    public string? this[string key] => form.TryGetValue(key, out var values) && !string.IsNullOrEmpty(values.ToString()) ? values.ToString() : null;

    /// <summary>True when any field is nested under <paramref name="key"/> (e.g. <c>line_items[0]</c>).</summary>
    public bool HasFieldsUnder(string key) => form.Keys.Any(field => field.StartsWith(key + "[", StringComparison.Ordinal));

    /// <summary>A hash like <c>metadata</c>: every <c>name[key]=value</c> field.</summary>
    public IReadOnlyDictionary<string, string> Hash(string name) =>
        form.Where(field => field.Key.StartsWith(name + "[", StringComparison.Ordinal)
                && field.Key.EndsWith(']')
                && field.Key.IndexOf('[', name.Length + 1) < 0)
            .ToDictionary(field => field.Key[(name.Length + 1)..^1], field => field.Value.ToString());

    /// <summary>
    /// Reads an integer field: null with a Stripe error when it is missing, not an integer, or below
    /// <paramref name="minimum"/>.
    /// </summary>
    public (long? Value, StripeError? Error) Integer(string key, long minimum, long maximum)
    {
        if (this[key] is not { } text)
        {
            return (null, StripeErrors.MissingParam(key));
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return (null, StripeErrors.InvalidInteger(key, text));
        }
        if (value < minimum || value > maximum)
        {
            return (null, StripeErrors.InvalidParam(key, $"Invalid {key}: must be between {minimum} and {maximum}."));
        }
        return (value, null);
    }

    /// <summary>All fields in a fixed order, to tell whether a reused idempotency key came with the same request.</summary>
    public string Fingerprint() =>
        string.Join('&', form.OrderBy(field => field.Key, StringComparer.Ordinal).Select(field => $"{field.Key}={field.Value}"));
}
