using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Gateway.Api.WebSearch;

/// <summary>The search failed (unreachable, an error status, an unreadable answer or the timeout); nothing was charged.</summary>
public sealed class WebSearchFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Typed client for Exa's <c>POST /search</c> (or the emulator's stand-in), within <see cref="WebSearchOptions.Timeout"/>.</summary>
public sealed class WebSearchClient(HttpClient httpClient, IOptions<WebSearchOptions> options)
{
    /// <summary>The handler is never rebuilt (the inference calls' services hold this client): new DNS answers arrive by recycling connections.</summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>Up to <paramref name="maxResults"/> results for <paramref name="query"/>, each bounded (<see cref="WebSearchResult.Bounded"/>).</summary>
    /// <exception cref="WebSearchFailedException">The search did not answer usable results in time.</exception>
    public async Task<IReadOnlyList<WebSearchResult>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.BaseUrl!.ToString().TrimEnd('/') + "/search"))
        {
            Content = JsonContent(new ExaSearchBody(query, maxResults, "auto", new ExaContents(new ExaTextContents(WebSearchResult.MaxSnippetLength)))),
        };
        if (settings.ApiKey is { Length: > 0 } apiKey)
        {
            request.Headers.Add("x-api-key", apiKey);
        }
        try
        {
            using var response = await httpClient.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new WebSearchFailedException($"The web search answered {(int)response.StatusCode}");
            }
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var answer = JsonSerializer.Deserialize(body, WebSearchJsonContext.Default.ExaSearchAnswer);
            return [.. (answer?.Results ?? [])
                .Where(result => Uri.TryCreate(result.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                .Take(maxResults)
                .Select(result => WebSearchResult.Bounded(result.Title, result.Url!, result.Text))];
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebSearchFailedException("The web search timed out", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            throw new WebSearchFailedException(ex is JsonException ? "The web search sent an unreadable answer" : "The web search could not be reached", ex);
        }
    }

    private static ByteArrayContent JsonContent(ExaSearchBody body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, WebSearchJsonContext.Default.ExaSearchBody));
        content.Headers.ContentType = new("application/json");
        return content;
    }
}

internal sealed record ExaSearchBody(string Query, int NumResults, string Type, ExaContents Contents);

internal sealed record ExaContents(ExaTextContents Text);

internal sealed record ExaTextContents(int MaxCharacters);

internal sealed record ExaSearchAnswer(IReadOnlyList<ExaSearchHit>? Results);

internal sealed record ExaSearchHit(string? Title, string? Url, string? Text);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ExaSearchBody))]
[JsonSerializable(typeof(ExaSearchAnswer))]
internal sealed partial class WebSearchJsonContext : JsonSerializerContext;
