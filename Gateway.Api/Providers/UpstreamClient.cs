using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Providers;

/// <summary>Typed client for OpenAI-compatible upstreams (the emulator for now).</summary>
public sealed class UpstreamClient(HttpClient httpClient, IOptions<UpstreamOptions> options)
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>
    /// Sends a chat completion and returns as soon as the response headers arrive, so that a streamed body
    /// can be relayed chunk by chunk. The caller owns (and must dispose) the response.
    /// </summary>
    public Task<HttpResponseMessage> SendChatCompletionAsync(ReadOnlyMemory<byte> requestBody, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.Emulator.BaseUrl!;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/v1/chat/completions"))
        {
            Content = new ReadOnlyMemoryContent(requestBody) { Headers = { ContentType = JsonMediaType } },
        };
        return httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
