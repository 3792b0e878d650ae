using System.Net;

namespace Portal.Web.Admin;

/// <summary>
/// A failed call to the catalog admin API or billing's admin reports: the message is the service's own
/// (safe to show to an administrator); <see cref="StatusCode"/> is null when the service could not be reached.
/// </summary>
public sealed class AdminApiException(HttpStatusCode? statusCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
