using System.Text;
using System.Text.Json;

namespace UnitTests.Emulators;

/// <summary>One server-sent event as a client parses it: the event line (null when absent) and the data.</summary>
public sealed record SseEvent(string? Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>Request builders and response readers shared by the HTTP tests of every wire format.</summary>
internal static class EmulatorHttp
{
    public static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public static (string Name, string Value)[] AnthropicHeaders { get; } = [("x-api-key", "sk-ant-test"), ("anthropic-version", "2023-06-01")];

    public static HttpRequestMessage Post(string path, string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return request;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken)).RootElement;

    /// <summary>Parses a whole SSE body: events are separated by blank lines, fields are "name: value" lines.</summary>
    public static List<SseEvent> ParseSse(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(ParseEvent)];

    /// <summary>
    /// Reads events off a live stream until it ends or breaks, so that a test can see what arrived before a
    /// connection reset. The exception is the one the client's read threw, or null when the stream ended.
    /// </summary>
    public static async Task<(List<SseEvent> Events, Exception? Failure)> ReadSseUntilEndAsync(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        var pending = new StringBuilder();
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(CancellationToken));
            while (await reader.ReadLineAsync(CancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (pending.Length > 0)
                    {
                        events.Add(ParseEvent(pending.ToString()));
                        pending.Clear();
                    }
                    continue;
                }
                pending.Append(line).Append('\n');
            }
            if (pending.Length > 0)
            {
                events.Add(ParseEvent(pending.ToString()));
            }
            return (events, null);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            return (events, exception);
        }
    }

    private static SseEvent ParseEvent(string block)
    {
        string? eventType = null;
        var data = new List<string>();
        foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }
        return new SseEvent(eventType, string.Join('\n', data));
    }

    /// <summary>Whether the text is one complete JSON value.</summary>
    public static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
