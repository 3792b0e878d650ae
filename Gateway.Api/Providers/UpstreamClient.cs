using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Providers;

/// <summary>Typed client for OpenAI-compatible upstreams: a configured real provider, else that provider on the emulator.</summary>
public sealed class UpstreamClient(HttpClient httpClient, IOptions<UpstreamOptions> options)
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>The chat completions URL of a provider.</summary>
    public static Uri ChatCompletionsUri(UpstreamOptions options, string providerSlug)
    {
        if (options.Providers.TryGetValue(providerSlug, out var real) && real.BaseUrl is { } baseUrl)
        {
            return new Uri(baseUrl.ToString().TrimEnd('/') + "/chat/completions");
        }
        var emulator = options.Emulator.BaseUrl!.ToString().TrimEnd('/');
        return new Uri($"{emulator}/providers/{Uri.EscapeDataString(providerSlug)}/v1/chat/completions");
    }

    /// <summary>
    /// Sends a chat completion and returns as soon as the response headers arrive, so that a streamed body
    /// can be relayed chunk by chunk. The caller owns (and must dispose) the response.
    /// </summary>
    public Task<HttpResponseMessage> SendChatCompletionAsync(string providerSlug, ReadOnlyMemory<byte> requestBody, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsUri(settings, providerSlug))
        {
            Content = new ReadOnlyMemoryContent(requestBody) { Headers = { ContentType = JsonMediaType } },
        };
        if (settings.Providers.TryGetValue(providerSlug, out var real) && real.ApiKey is { Length: > 0 } apiKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
