using System.Text.Json.Nodes;
using Gateway.Api.Translation;

namespace Gateway.Api.Inference;

/// <summary>One event for the caller: an SSE <c>event:</c> name (or none) and its data; no data means <c>[DONE]</c>.</summary>
public readonly record struct ClientEvent(string? Name, JsonNode? Data)
{
    public static readonly ClientEvent Done = new(null, null);
}

/// <summary>
/// The API format the caller speaks. Every endpoint runs the same pipeline in OpenAI chat format; its format
/// only shapes the answer: a whole completion, or each chunk of a stream.
/// </summary>
public interface IClientFormat
{
    JsonNode ToCaller(JsonObject chatCompletion);

    IClientStream OpenStream();
}

/// <summary>One streamed answer in the caller's format; stateful, one per request.</summary>
public interface IClientStream
{
    IReadOnlyList<ClientEvent> OnChunk(JsonObject chunk);

    IReadOnlyList<ClientEvent> Complete();
}

/// <summary><c>POST chat/completions</c>: the chat format itself.</summary>
public sealed class ChatClientFormat : IClientFormat
{
    public static readonly ChatClientFormat Instance = new();

    public JsonNode ToCaller(JsonObject chatCompletion) => chatCompletion;

    public IClientStream OpenStream() => new Stream();

    private sealed class Stream : IClientStream
    {
        public IReadOnlyList<ClientEvent> OnChunk(JsonObject chunk) => [new(null, chunk)];

        public IReadOnlyList<ClientEvent> Complete() => [ClientEvent.Done];
    }
}

/// <summary><c>POST completions</c>: OpenAI's legacy text completions (<c>prompt</c> in, <c>choices[].text</c> out).</summary>
public sealed class LegacyCompletionClientFormat : IClientFormat
{
    public static readonly LegacyCompletionClientFormat Instance = new();

    /// <summary>The chat request for a legacy one: the prompt becomes the user's message; the rest carries over.</summary>
    /// <exception cref="TranslationException">No usable <c>prompt</c>.</exception>
    public static JsonObject ToChatRequest(JsonObject request)
    {
        var prompt = request["prompt"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray { Count: 1 } single when single[0] is JsonValue value && value.TryGetValue<string>(out var text) => text,
            JsonArray => throw new TranslationException("'prompt' as an array must hold exactly one string"),
            _ => throw new TranslationException("'prompt' must be a string"),
        };
        var chat = (JsonObject)request.DeepClone();
        chat.Remove("prompt");
        chat.Remove("suffix");
        chat.Remove("echo");
        chat.Remove("best_of");
        chat["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt });
        return chat;
    }

    public JsonNode ToCaller(JsonObject chatCompletion)
    {
        var completion = Envelope(chatCompletion);
        completion["choices"] = new JsonArray([.. Choices(chatCompletion, "message")]);
        completion["usage"] = chatCompletion["usage"]?.DeepClone();
        return completion;
    }

    public IClientStream OpenStream() => new Stream();

    private static JsonObject Envelope(JsonObject chat) => new()
    {
        ["id"] = chat["id"]?.DeepClone(),
        ["object"] = "text_completion",
        ["created"] = chat["created"]?.DeepClone(),
        ["model"] = chat["model"]?.DeepClone(),
        ["provider"] = chat["provider"]?.DeepClone(),
    };

    private static IEnumerable<JsonNode> Choices(JsonObject chat, string part)
        => (chat["choices"] as JsonArray ?? []).OfType<JsonObject>().Select(choice => (JsonNode)new JsonObject
        {
            ["index"] = choice["index"]?.DeepClone() ?? 0,
            ["text"] = (choice[part] as JsonObject)?["content"]?.DeepClone() ?? "",
            ["finish_reason"] = choice["finish_reason"]?.DeepClone(),
            ["native_finish_reason"] = choice["native_finish_reason"]?.DeepClone(),
            ["logprobs"] = null,
        });

    private sealed class Stream : IClientStream
    {
        public IReadOnlyList<ClientEvent> OnChunk(JsonObject chunk)
        {
            var completion = Envelope(chunk);
            completion["choices"] = new JsonArray([.. Choices(chunk, "delta")]);
            if (chunk["usage"] is JsonNode usage)
            {
                completion["usage"] = usage.DeepClone();
            }
            if (chunk["error"] is JsonNode error)
            {
                completion["error"] = error.DeepClone();
            }
            return [new(null, completion)];
        }

        public IReadOnlyList<ClientEvent> Complete() => [ClientEvent.Done];
    }
}

/// <summary><c>POST messages</c>: Anthropic's Messages format, for Claude-style clients, to any model.</summary>
public sealed class MessagesClientFormat : IClientFormat
{
    public static readonly MessagesClientFormat Instance = new();

    public JsonNode ToCaller(JsonObject chatCompletion)
    {
        var message = MessagesEndpointTranslation.ToMessagesResponse(chatCompletion);
        // OpenRouter's own fields survive the translation, so a caller can find the generation.
        message["provider"] = chatCompletion["provider"]?.DeepClone();
        if ((chatCompletion["usage"] as JsonObject)?["cost"] is JsonNode cost && message["usage"] is JsonObject usage)
        {
            usage["cost"] = cost.DeepClone();
        }
        return message;
    }

    public IClientStream OpenStream() => new Stream();

    private sealed class Stream : IClientStream
    {
        private readonly ChatChunkToAnthropicEvents _events = new();

        public IReadOnlyList<ClientEvent> OnChunk(JsonObject chunk) => [.. _events.OnChunk(chunk).Select(item => new ClientEvent(item.Name, item.Data))];

        public IReadOnlyList<ClientEvent> Complete() => [.. _events.Complete().Select(item => new ClientEvent(item.Name, item.Data))];
    }
}

/// <summary><c>POST responses</c>: OpenAI's Responses format, to any model; streams are typed events without <c>[DONE]</c>.</summary>
public sealed class ResponsesClientFormat : IClientFormat
{
    public static readonly ResponsesClientFormat Instance = new();

    public JsonNode ToCaller(JsonObject chatCompletion) => ResponsesEndpointTranslation.ToResponse(chatCompletion);

    public IClientStream OpenStream() => new Stream();

    private sealed class Stream : IClientStream
    {
        private readonly ChatChunkToResponsesEvents _events = new();

        public IReadOnlyList<ClientEvent> OnChunk(JsonObject chunk) => [.. _events.OnChunk(chunk).Select(item => new ClientEvent(item.Name, item.Data))];

        public IReadOnlyList<ClientEvent> Complete() => [.. _events.Complete().Select(item => new ClientEvent(item.Name, item.Data))];
    }
}

/// <summary><c>POST embeddings</c>: OpenAI's embeddings response, stamped like any other answer.</summary>
public sealed class EmbeddingsClientFormat : IClientFormat
{
    public static readonly EmbeddingsClientFormat Instance = new();

    public JsonNode ToCaller(JsonObject embeddings) => embeddings;

    public IClientStream OpenStream() => throw new NotSupportedException("Embeddings are not streamed");
}
