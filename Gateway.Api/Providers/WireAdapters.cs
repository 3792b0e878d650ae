using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;

namespace Gateway.Api.Providers;

/// <summary>Where one provider's API lives: its versioned base URL (<c>…/v1</c>, <c>…/v1beta</c>) and the key to send, if any.</summary>
public sealed record UpstreamTarget(Uri VersionedBase, string? ApiKey)
{
    // A provider key, the platform's or the caller's own, never reaches a log through this record.
    public override string ToString() => $"UpstreamTarget {{ VersionedBase = {VersionedBase} }}";

    public Uri Resolve(string relativePath) => new(VersionedBase.ToString().TrimEnd('/') + "/" + relativePath);
}

/// <summary>
/// Turns the stream of one upstream call into OpenAI <c>chat.completion.chunk</c> objects, event by event;
/// <see cref="Complete"/> closes it (with an error chunk when the upstream stopped before finishing).
/// </summary>
public interface IUpstreamStream
{
    /// <param name="data">The event's data, UTF-8.</param>
    IReadOnlyList<JsonObject> OnEvent(string? eventName, ReadOnlySpan<byte> data);

    IReadOnlyList<JsonObject> Complete();
}

/// <summary>
/// One provider API format: builds the HTTP request from an OpenAI-format chat request, and reads the answer
/// back into OpenAI's format. Requests the format cannot express throw <see cref="TranslationException"/>.
/// </summary>
public interface IWireAdapter
{
    string WireFormat { get; }

    HttpRequestMessage CreateRequest(UpstreamTarget target, JsonObject chatRequest, string upstreamModel, bool stream);

    /// <summary>The whole answer as an OpenAI chat completion; null when it is not what the format promises.</summary>
    JsonObject? ReadCompletion(ReadOnlySpan<byte> body);

    IUpstreamStream OpenStream();
}

/// <summary>Picks the adapter for a provider's wire format.</summary>
public sealed class WireAdapters(IEnumerable<IWireAdapter> adapters)
{
    private readonly Dictionary<string, IWireAdapter> _byFormat = adapters.ToDictionary(adapter => adapter.WireFormat, StringComparer.Ordinal);

    public IWireAdapter For(string wireFormat)
        => _byFormat.TryGetValue(wireFormat, out var adapter) ? adapter : throw new InvalidOperationException($"No adapter for wire format {wireFormat}");
}

internal static class WireJson
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    public static HttpRequestMessage Post(Uri uri, JsonNode body) => new(HttpMethod.Post, uri)
    {
        Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, TranslationJsonContext.Default.JsonNode))
        {
            Headers = { ContentType = JsonMediaType },
        },
    };

    public static JsonObject? ParseObject(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An OpenAI-shaped error chunk that ends a stream.</summary>
    public static JsonObject ErrorChunk(int code, string message) => new()
    {
        ["object"] = "chat.completion.chunk",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = new JsonObject { ["content"] = "" },
            ["finish_reason"] = FinishReasons.Error,
            ["native_finish_reason"] = null,
        }),
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class TranslationJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>OpenAI Chat Completions and the many OpenAI-compatible hosts: the request passes as it is.</summary>
public sealed class OpenAIChatAdapter : IWireAdapter
{
    public string WireFormat => SnapshotWireFormats.OpenAIChat;

    public HttpRequestMessage CreateRequest(UpstreamTarget target, JsonObject chatRequest, string upstreamModel, bool stream)
    {
        chatRequest["model"] = upstreamModel;
        var request = WireJson.Post(target.Resolve("chat/completions"), chatRequest);
        if (target.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    public JsonObject? ReadCompletion(ReadOnlySpan<byte> body) => WireJson.ParseObject(body);

    public IUpstreamStream OpenStream() => new Stream();

    private sealed class Stream : IUpstreamStream
    {
        private bool _done;

        public IReadOnlyList<JsonObject> OnEvent(string? eventName, ReadOnlySpan<byte> data)
        {
            if (data.Trim(" \t"u8).SequenceEqual("[DONE]"u8))
            {
                _done = true;
                return [];
            }
            if (WireJson.ParseObject(data) is not { } chunk)
            {
                throw new TranslationException("The provider sent a stream event that is not JSON");
            }
            if (chunk["error"] is JsonObject error)
            {
                _done = true;
                var code = error["code"] is JsonValue value && value.TryGetValue<int>(out var number) ? number : 502;
                var message = error["message"] is JsonValue text && text.TryGetValue<string>(out var said) ? said : "The provider reported an error";
                return [WireJson.ErrorChunk(code, message)];
            }
            return [chunk];
        }

        public IReadOnlyList<JsonObject> Complete()
            => _done ? [] : [WireJson.ErrorChunk(502, "The provider ended the stream before finishing")];
    }
}

/// <summary>Anthropic's Messages API.</summary>
public sealed class AnthropicMessagesAdapter : IWireAdapter
{
    public string WireFormat => SnapshotWireFormats.AnthropicMessages;

    public HttpRequestMessage CreateRequest(UpstreamTarget target, JsonObject chatRequest, string upstreamModel, bool stream)
    {
        var request = WireJson.Post(target.Resolve(AnthropicOutbound.PathFromVersionedBase), AnthropicOutbound.ToMessagesRequest(chatRequest, upstreamModel));
        foreach (var (name, value) in AnthropicOutbound.Headers(target.ApiKey ?? "emulator"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    public JsonObject? ReadCompletion(ReadOnlySpan<byte> body)
        => WireJson.ParseObject(body) is { } message && message["content"] is JsonArray ? AnthropicResponses.ToChatCompletion(message) : null;

    public IUpstreamStream OpenStream() => new Stream();

    private sealed class Stream : IUpstreamStream
    {
        private readonly AnthropicStreamTranslator _translator = new();

        public IReadOnlyList<JsonObject> OnEvent(string? eventName, ReadOnlySpan<byte> data) => _translator.OnEvent(eventName, Encoding.UTF8.GetString(data));

        public IReadOnlyList<JsonObject> Complete() => _translator.Complete();
    }
}

/// <summary>Google's Gemini generateContent / streamGenerateContent API.</summary>
public sealed class GeminiAdapter : IWireAdapter
{
    public string WireFormat => SnapshotWireFormats.GeminiGenerateContent;

    public HttpRequestMessage CreateRequest(UpstreamTarget target, JsonObject chatRequest, string upstreamModel, bool stream)
    {
        var request = WireJson.Post(target.Resolve(GeminiOutbound.PathFromVersionedBase(upstreamModel, stream)), GeminiOutbound.ToGenerateContentRequest(chatRequest));
        foreach (var (name, value) in GeminiOutbound.Headers(target.ApiKey ?? "emulator"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    public JsonObject? ReadCompletion(ReadOnlySpan<byte> body)
        => WireJson.ParseObject(body) is { } response && response["candidates"] is JsonArray ? GeminiResponses.ToChatCompletion(response) : null;

    public IUpstreamStream OpenStream() => new Stream();

    private sealed class Stream : IUpstreamStream
    {
        private readonly GeminiStreamTranslator _translator = new();

        public IReadOnlyList<JsonObject> OnEvent(string? eventName, ReadOnlySpan<byte> data) => _translator.OnData(Encoding.UTF8.GetString(data));

        public IReadOnlyList<JsonObject> Complete() => _translator.Complete();
    }
}

/// <summary>OpenAI's embeddings API (and OpenAI-compatible hosts): the request passes as it is; never streamed.</summary>
public sealed class OpenAIEmbeddingsAdapter : IWireAdapter
{
    public static readonly OpenAIEmbeddingsAdapter Instance = new();

    public string WireFormat => SnapshotWireFormats.OpenAIChat;

    public HttpRequestMessage CreateRequest(UpstreamTarget target, JsonObject embeddingsRequest, string upstreamModel, bool stream)
    {
        embeddingsRequest["model"] = upstreamModel;
        var request = WireJson.Post(target.Resolve("embeddings"), embeddingsRequest);
        if (target.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    public JsonObject? ReadCompletion(ReadOnlySpan<byte> body)
        => WireJson.ParseObject(body) is { } response && response["data"] is JsonArray ? response : null;

    public IUpstreamStream OpenStream() => throw new NotSupportedException("Embeddings are not streamed");
}
