using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;

namespace Gateway.Api.Routing;

/// <summary>
/// The short reasons an endpoint's circuit opened, as other replicas and the admin System page see them. Built from
/// the failure's kind only, never from the upstream's text (which could carry anything).
/// </summary>
public static class BreakerReasons
{
    public const string Timeout = "timeout";
    public const string Malformed = "malformed answer";

    public static string Of(int status) => string.Create(CultureInfo.InvariantCulture, $"HTTP {status}");

    public static string Of(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionReset => "connection reset",
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.TimedOut => "connect timeout",
                    SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "name resolution failed",
                    _ => "connection failed",
                };
            }
        }
        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "name resolution failed",
            HttpRequestError.ConnectionError => "connection failed",
            HttpRequestError.SecureConnectionError => "TLS failed",
            HttpRequestError.ResponseEnded => "connection reset",
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => "invalid HTTP response",
            _ => "unreachable",
        };
    }

    /// <summary>One of the gateway's own failure messages ("DeepInfra timed out before the first token") without the provider's name.</summary>
    public static string WithoutProvider(string message, string providerName)
        => message.StartsWith(providerName + " ", StringComparison.Ordinal) ? message[(providerName.Length + 1)..] : message;
}
