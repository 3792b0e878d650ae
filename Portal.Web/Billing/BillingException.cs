using System.Net;

namespace Portal.Web.Billing;

/// <summary>
/// A billing call that failed: <see cref="Exception.Message"/> is billing's own OpenRouter-style error message
/// (safe to show to the user), <see cref="StatusCode"/> is null when billing could not be reached at all.
/// </summary>
public sealed class BillingException : Exception
{
    public BillingException(HttpStatusCode? statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
        => StatusCode = statusCode;

    public HttpStatusCode? StatusCode { get; }

    public bool IsUnavailable => StatusCode is null;
}
