using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Api.WebSearch;

/// <summary>
/// The <c>url_citation</c> annotations of an answer: one for each search result whose URL the answer contains,
/// over the range of its first occurrence (indices in UTF-16 code units of the answer's content). A stream's
/// content is gathered chunk by chunk and its annotations go out on the chunk that carries the finish reason.
/// </summary>
public sealed class WebCitations(IReadOnlyList<WebSearchResult> results)
{
    private readonly Dictionary<int, StringBuilder> _streamed = [];

    public static JsonArray Annotations(string content, IReadOnlyList<WebSearchResult> results)
    {
        var annotations = new JsonArray();
        foreach (var result in results)
        {
            var start = content.IndexOf(result.Url, StringComparison.Ordinal);
            if (start < 0)
            {
                continue;
            }
            annotations.Add(new JsonObject
            {
                ["type"] = "url_citation",
                ["url_citation"] = new JsonObject
                {
                    ["url"] = result.Url,
                    ["title"] = result.Title,
                    ["content"] = result.Snippet,
                    ["start_index"] = start,
                    ["end_index"] = start + result.Url.Length,
                },
            });
        }
        return annotations;
    }

    /// <summary>Annotates each choice's message of a whole completion.</summary>
    public void OnCompletion(JsonObject completion)
    {
        foreach (var choice in Choices(completion))
        {
            if (choice["message"] is JsonObject message && message["content"] is JsonValue value && value.TryGetValue<string>(out var content)
                && Annotations(content, results) is { Count: > 0 } annotations)
            {
                message["annotations"] = annotations;
            }
        }
    }

    /// <summary>Gathers a chunk's content; on the chunk that finishes a choice, adds that choice's annotations to its delta.</summary>
    public void OnChunk(JsonObject chunk)
    {
        foreach (var choice in Choices(chunk))
        {
            var index = choice["index"] is JsonValue position && position.TryGetValue<int>(out var number) ? number : 0;
            var delta = choice["delta"] as JsonObject;
            if (delta?["content"] is JsonValue value && value.TryGetValue<string>(out var content))
            {
                (_streamed.TryGetValue(index, out var text) ? text : _streamed[index] = new StringBuilder()).Append(content);
            }
            if (choice["finish_reason"] is JsonValue && _streamed.TryGetValue(index, out var answer)
                && Annotations(answer.ToString(), results) is { Count: > 0 } annotations)
            {
                if (delta is null)
                {
                    choice["delta"] = delta = new JsonObject();
                }
                delta["annotations"] = annotations;
            }
        }
    }

    private static IEnumerable<JsonObject> Choices(JsonObject body) => (body["choices"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
