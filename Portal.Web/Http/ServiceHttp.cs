using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Portal.Web.Http;

/// <summary>Makes a client's own exception for a failed call: the status (null when the service was not reached) and a message safe to show.</summary>
internal delegate Exception ServiceFailure(HttpStatusCode? statusCode, string message, Exception? innerException);

/// <summary>
/// The send-and-read logic the portal's clients of billing's and the catalog's internal APIs share (BillingClient and
/// the admin clients): any answer but a success becomes the client's exception carrying the service's OpenRouter-style
/// message, so a page can show it.
/// </summary>
internal sealed class ServiceHttp(HttpClient http, ILogger logger, string service, ServiceFailure failure)
{
    /// <summary>Sends the request and reads the successful answer's JSON.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendAsync(method, path, content, cancellationToken, configure);
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
                ?? throw failure(response.StatusCode, $"The {service} sent an empty answer.", null);
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "The {Service} answered {Method} {Path} with unreadable JSON", service, method, path);
            throw failure(response.StatusCode, $"The {service} sent an answer the portal could not read.", ex);
        }
    }

    /// <summary>Sends the request; returns the answer only when it is a success (the caller disposes it).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content,
        CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
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
            throw failure(null, $"The {service} is not reachable right now. Please try again in a moment.", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var message = await ReadErrorMessageAsync(response, cancellationToken);
            logger.LogWarning("The {Service} answered {Method} {Path} with {StatusCode}: {Message}", service, method, path, (int)response.StatusCode, message);
            throw failure(response.StatusCode, message, null);
        }
    }

    private async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(ServiceHttpJsonContext.Default.ServiceErrorEnvelope, cancellationToken);
            if (!string.IsNullOrWhiteSpace(envelope?.Error?.Message))
            {
                return envelope.Error.Message;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not OpenRouter's error format (a proxy's page, an empty body): fall back to the status below.
        }
        return $"The {service} answered {(int)response.StatusCode} {response.ReasonPhrase}.";
    }
}

/// <summary>OpenRouter's error format, <c>{"error": {"code": 400, "message": "..."}}</c>.</summary>
internal sealed record ServiceErrorEnvelope(ServiceErrorBody? Error);

internal sealed record ServiceErrorBody(int Code, string? Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceErrorEnvelope))]
internal sealed partial class ServiceHttpJsonContext : JsonSerializerContext;
