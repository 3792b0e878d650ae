using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// Turns one Gemini stream (<c>streamGenerateContent?alt=sse</c>: each <c>data:</c> a GenerateContentResponse)
/// into OpenAI <c>chat.completion.chunk</c>s: the role first, content and <c>reasoning</c> (thought) deltas, each
/// function call as one tool call delta with its whole arguments, and on the chunk with a finishReason a finish
/// chunk and the usage chunk (empty choices). An error payload ends the stream with an error chunk.
/// One instance per stream; not thread-safe.
/// </summary>
public sealed class GeminiStreamTranslator(long? created = null)
{
    private readonly ChatChunks _chunks = new() { Created = ChatChunks.Now(created) };
    private JsonObject? _usageMetadata;
    private int _toolCalls;
    private bool _started;

    public bool IsComplete { get; private set; }

    /// <summary>The latest usageMetadata (Gemini repeats it, cumulatively, on chunks).</summary>
    public TokenUsage Usage => TokenUsage.FromGemini(_usageMetadata);

    /// <param name="data">The SSE <c>data:</c> payload (JSON).</param>
    /// <exception cref="TranslationException">The data is not a JSON object.</exception>
    public IReadOnlyList<JsonObject> OnData(string data)
    {
        if (IsComplete)
        {
            return [];
        }
        var response = JsonRead.ParseEvent(data, "A Gemini stream chunk");
        if (response["error"] is JsonObject error)
        {
            IsComplete = true;
            return [_chunks.Error(JsonRead.Int(error["code"]) ?? 500, JsonRead.String(error["message"]) ?? "The provider reported an error", JsonRead.String(error["status"]))];
        }

        var chunks = new List<JsonObject>();
        if (!_started)
        {
            _started = true;
            _chunks.Id = JsonRead.String(response["responseId"]) ?? "";
            _chunks.Model = JsonRead.String(response["modelVersion"]) ?? "";
            chunks.Add(_chunks.Delta(new JsonObject { ["role"] = "assistant", ["content"] = "" }));
        }
        if (response["usageMetadata"] is JsonObject usage)
        {
            _usageMetadata = (JsonObject)usage.DeepClone();
        }

        foreach (var part in GeminiResponses.Parts(response))
        {
            switch (GeminiResponses.Read(part))
            {
                case GeminiPart.Thought { Value.Length: > 0 } thought:
                    chunks.Add(_chunks.Delta(new JsonObject { ["reasoning"] = thought.Value }));
                    break;
                case GeminiPart.Text { Value.Length: > 0 } text:
                    chunks.Add(_chunks.Delta(new JsonObject { ["content"] = text.Value }));
                    break;
                case GeminiPart.Call call:
                    // Gemini sends a call whole, so its first delta carries all the arguments.
                    chunks.Add(_chunks.Delta(ChatChunks.ToolCallStart(_toolCalls++, call.Id, call.Name, call.Arguments)));
                    break;
            }
        }

        if (GeminiResponses.NativeFinishReason(response) is { } native)
        {
            IsComplete = true;
            chunks.Add(_chunks.Delta([], GeminiResponses.FinishReason(native, calledFunction: _toolCalls > 0), native));
            chunks.Add(_chunks.Usage(Usage));
        }
        return chunks;
    }

    /// <summary>
    /// Called when the upstream stream ends: nothing when a finishReason arrived, else a terminal error chunk,
    /// since a client must not take a cut-off answer for a whole one.
    /// </summary>
    public IReadOnlyList<JsonObject> Complete()
    {
        if (IsComplete)
        {
            return [];
        }
        IsComplete = true;
        return [_chunks.Error(502, "The provider's stream ended before the response was complete", null)];
    }
}
