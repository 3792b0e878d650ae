using System.Security.Cryptography;

namespace Portal.Web.Security;

/// <summary>
/// Browser-side protections on every portal response. The Content-Security-Policy allows only the portal's own
/// scripts, plus the one inline script Blazor renders (the import map), which carries a per-request nonce:
/// Blazor Server needs no eval, and MudBlazor sets inline styles, hence style-src 'unsafe-inline' (styles cannot
/// run code). connect-src 'self' covers the circuit's WebSocket on the same origin (CSP 3 matches ws/wss for
/// 'self'); no other host is allowed, so injected markup cannot send data elsewhere.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "Portal.CspNonce";

    /// <summary>The CSP with <c>{0}</c> for the nonce.</summary>
    public const string ContentSecurityPolicyFormat =
        "default-src 'self'; " +
        "script-src 'self' 'nonce-{0}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "frame-ancestors 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'";

    /// <summary>Features the portal never uses; WebAuthn (passkeys) and the clipboard keep their same-origin default.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing for HTML to escape
        context.Items[NonceKey] = nonce;
        // Set as the response starts, so the exception handler clearing the response cannot drop them.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = string.Format(System.Globalization.CultureInfo.InvariantCulture, ContentSecurityPolicyFormat, nonce);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>The nonce of this response's CSP, for the few inline scripts the framework renders.</summary>
    public static string? GetCspNonce(this HttpContext context) => context.Items[NonceKey] as string;
}
