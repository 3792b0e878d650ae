using System.Text.Json;
using System.Text.Json.Nodes;
using Emulators.Anthropic;
using Emulators.Common;
using Emulators.Gemini;
using Emulators.OpenAI;

namespace UnitTests.Gateway.Translation;

/// <summary>
/// JSON helpers for the translator tests, and the emulators' own factories called in-process: what they accept
/// and emit is the real wire format, so translated requests are validated by them and their answers translated.
/// </summary>
internal static class TranslationJson
{
    public const string GeminiModel = "gemini-2.5-flash";

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static string? Str(JsonNode? node) => node?.GetValue<string>();

    public static JsonObject Choice(JsonObject completion) => completion["choices"]![0]!.AsObject();

    public static JsonObject Message(JsonObject completion) => Choice(completion)["message"]!.AsObject();

    public static JsonObject Delta(JsonObject chunk) => chunk["choices"]![0]!["delta"]!.AsObject();

    public static string Concat(IEnumerable<JsonObject> chunks, string field) =>
        string.Concat(chunks.Where(chunk => chunk["choices"]!.AsArray().Count > 0).Select(chunk => Delta(chunk)[field]?.GetValue<string>()));

    // Anthropic emulator

    public static readonly MessageStamp AnthropicStamp = new("msg_01test", "toolu_01test", "sig-test");

    public static MessagesRequest AsMessagesRequest(JsonObject request)
    {
        var parsed = JsonSerializer.Deserialize(request.ToJsonString(), AnthropicJsonContext.Default.MessagesRequest)!;
        var invalid = MessagesRequestValidator.Validate(parsed);
        Assert.True(invalid is null, invalid?.Error.Message);
        return parsed;
    }

    public static JsonObject AnthropicResponse(JsonObject request, CacheUsage cache = default) =>
        Obj(JsonSerializer.Serialize(MessagesFactory.CreateResponse(AsMessagesRequest(request), AnthropicStamp, cache), AnthropicJsonContext.Default.MessagesResponse));

    public static IReadOnlyList<StreamEvent> AnthropicEvents(JsonObject request, CacheUsage cache = default) =>
        MessagesFactory.CreateEvents(AsMessagesRequest(request), AnthropicStamp, cache);

    // Gemini emulator

    public static readonly global::Emulators.Gemini.ResponseStamp GeminiStamp = new("resp-test");

    public static GenerateContentRequest AsGenerateContentRequest(JsonObject request)
    {
        var parsed = JsonSerializer.Deserialize(request.ToJsonString(), GeminiJsonContext.Default.GenerateContentRequest)!;
        var invalid = GenerateContentValidator.Validate(parsed);
        Assert.True(invalid is null, invalid);
        return parsed;
    }

    public static JsonObject GeminiResponse(JsonObject request) =>
        Obj(JsonSerializer.Serialize(GenerateContentFactory.CreateResponse(GeminiModel, AsGenerateContentRequest(request), GeminiStamp), GeminiJsonContext.Default.GenerateContentResponse));

    public static IReadOnlyList<string> GeminiChunks(JsonObject request) =>
        [.. GenerateContentFactory.CreateChunks(GeminiModel, AsGenerateContentRequest(request), GeminiStamp)
            .Select(chunk => JsonSerializer.Serialize(chunk, GeminiJsonContext.Default.GenerateContentResponse))];

    // OpenAI emulator

    public static ChatCompletionRequest AsChatRequest(JsonObject request) =>
        JsonSerializer.Deserialize(request.ToJsonString(), OpenAIJsonContext.Default.ChatCompletionRequest)!;

    public static JsonObject ChatResponse(JsonObject request) =>
        Obj(JsonSerializer.Serialize(ChatCompletionFactory.CreateResponse(AsChatRequest(request), CompletionStamp.Create(TimeProvider.System)), OpenAIJsonContext.Default.ChatCompletionResponse));

    public static IReadOnlyList<JsonObject> ChatChunks(JsonObject request) =>
        [.. ChatCompletionFactory.CreateChunks(AsChatRequest(request), CompletionStamp.Create(TimeProvider.System))
            .Select(chunk => Obj(JsonSerializer.Serialize(chunk, OpenAIJsonContext.Default.ChatCompletionChunk)))];
}
