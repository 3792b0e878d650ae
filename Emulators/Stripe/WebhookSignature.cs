using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Emulators.Stripe;

/// <summary>
/// Stripe's <c>Stripe-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{payload}"&gt;</c>, keyed
/// with the endpoint's whole signing secret (<c>whsec_</c> prefix included), as Stripe.net's EventUtility checks it.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Stripe-Signature";

    public static string Create(string payload, string secret, long timestamp)
    {
        var signedPayload = $"{timestamp.ToString(CultureInfo.InvariantCulture)}.{payload}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signedPayload));
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(signature)}";
    }
}
