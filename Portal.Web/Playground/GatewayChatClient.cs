using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Portal.Web.Playground;

/// <summary>The gateway's public chat completions API, called with one of the user's own keys.</summary>
public interface IGatewayChatClient
{
    /// <summary>
    /// Streams a completion (<c>stream: true</c> with the usage chunk): text deltas as they arrive, then the usage,
    /// or an error in OpenRouter's format. Cancelling the token stops the stream (the gateway bills what was sent).
    /// </summary>
    IAsyncEnumerable<ChatStreamEvent> StreamAsync(string apiKey, PlaygroundRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Typed HttpClient whose base address is the gateway (<see cref="GatewayOptions"/>).</summary>
public sealed class GatewayChatClient(HttpClient http, ILogger<GatewayChatClient> logger) : IGatewayChatClient
{
    public async IAsyncEnumerable<ChatStreamEvent> StreamAsync(string apiKey, PlaygroundRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var body = new ChatCompletionBody(request.Model, request.Messages, Stream: true, new StreamOptions(IncludeUsage: true),
            request.Temperature, request.MaxTokens, request.Provider);
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions")
        {
            Content = JsonContent.Create(body, PlaygroundJsonContext.Default.ChatCompletionBody),
        };
        // The key lives only in this request's header: never logged, never stored.
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        message.Headers.Add("X-Title", "OpenRouterClone Playground");

        HttpResponseMessage? response = null;
        ChatError? failure = null;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "The gateway could not be reached for a playground completion");
            failure = new ChatError(502, "The gateway is not reachable right now. Please try again in a moment.");
        }
        if (failure is not null)
        {
            yield return failure;
            yield break;
        }

        using (response)
        {
            if (!response!.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                yield return ChatStreamParser.ReadError(text, (int)response.StatusCode, response.ReasonPhrase);
                yield break;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var update in ChatStreamParser.ReadAsync(stream, cancellationToken))
            {
                yield return update;
            }
        }
    }
}

/// <summary>Reads the gateway's server-sent events (OpenAI chat chunks) into <see cref="ChatStreamEvent"/>s.</summary>
public static class ChatStreamParser
{
    public static async IAsyncEnumerable<ChatStreamEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                // ": OPENROUTER PROCESSING" and other comments keep the connection alive; only data lines count.
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }
                    data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
                }
                continue;
            }
            if (data.Length == 0)
            {
                continue;
            }
            var payload = data.ToString();
            data.Clear();
            if (payload == "[DONE]")
            {
                yield break;
            }
            foreach (var update in ReadChunk(payload))
            {
                yield return update;
            }
        }
        if (data.Length > 0 && data.ToString() != "[DONE]")
        {
            foreach (var update in ReadChunk(data.ToString()))
            {
                yield return update;
            }
        }
    }

    /// <summary>One chunk: its text delta, an error it carries, and its usage (the final chunk).</summary>
    public static IEnumerable<ChatStreamEvent> ReadChunk(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return [new ChatError(502, "The gateway sent a chunk the playground could not read.")];
        }
        using (document)
        {
            var root = document.RootElement;
            var updates = new List<ChatStreamEvent>();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return updates;
            }
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object
                        && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                        && content.GetString() is { Length: > 0 } text)
                    {
                        updates.Add(new ChatDelta(text));
                    }
                }
            }
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                updates.Add(ErrorFrom(error, 502));
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                updates.Add(new ChatUsage(
                    Int(usage, "prompt_tokens"),
                    Int(usage, "completion_tokens"),
                    usage.TryGetProperty("cost", out var cost) && cost.ValueKind == JsonValueKind.Number ? cost.GetDecimal() : null,
                    String(root, "provider"),
                    String(root, "model"),
                    String(root, "id")));
            }
            return updates;
        }
    }

    /// <summary>An error answer's OpenRouter message (<c>{"error":{"code":..,"message":..}}</c>), or the HTTP status when there is none.</summary>
    public static ChatError ReadError(string body, int statusCode, string? reasonPhrase)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return ErrorFrom(error, statusCode);
            }
        }
        catch (JsonException)
        {
            // Not OpenRouter's error format (a proxy's page): the status below says what there is to say.
        }
        return new ChatError(statusCode, $"The gateway answered {statusCode} {reasonPhrase}.".Replace(" .", ".", StringComparison.Ordinal));
    }

    private static ChatError ErrorFrom(JsonElement error, int fallbackCode)
    {
        var code = error.TryGetProperty("code", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : fallbackCode;
        var message = String(error, "message") is { Length: > 0 } text ? text : $"The request failed ({code.ToString(CultureInfo.InvariantCulture)}).";
        return new ChatError(code, message);
    }

    private static int Int(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
