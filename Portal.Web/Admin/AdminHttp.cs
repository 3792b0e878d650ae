using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Portal.Web.Admin;

/// <summary>The send-and-read logic the admin clients share: any answer but a success becomes an <see cref="AdminApiException"/>.</summary>
internal static class AdminHttp
{
    public static async Task<T> SendAsync<T>(HttpClient http, ILogger logger, string service, HttpMethod method, string path,
        HttpContent? content, JsonTypeInfo<T> typeInfo, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning(ex, "The {Service} could not be reached for {Method} {Path}", service, method, path);
            throw new AdminApiException(null, $"The {service} is not reachable right now. Please try again in a moment.", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var message = await ReadErrorAsync(response, service, cancellationToken);
                logger.LogWarning("The {Service} answered {Method} {Path} with {StatusCode}: {Message}", service, method, path, (int)response.StatusCode, message);
                throw new AdminApiException(response.StatusCode, message);
            }
            try
            {
                return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
                    ?? throw new AdminApiException(response.StatusCode, $"The {service} sent an empty answer.");
            }
            catch (JsonException ex)
            {
                logger.LogError(ex, "The {Service} answered {Method} {Path} with unreadable JSON", service, method, path);
                throw new AdminApiException(response.StatusCode, $"The {service} sent an answer the portal could not read.", ex);
            }
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, string service, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.AdminErrorEnvelope, cancellationToken);
            if (!string.IsNullOrWhiteSpace(envelope?.Error?.Message))
            {
                return envelope.Error.Message;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not OpenRouter's error format: fall back to the status below.
        }
        return $"The {service} answered {(int)response.StatusCode} {response.ReasonPhrase}.";
    }
}
