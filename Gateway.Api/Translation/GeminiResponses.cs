using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// A Gemini GenerateContentResponse as an OpenAI <c>chat.completion</c>: the first candidate's text parts joined
/// into content, thought parts into <c>message.reasoning</c>, functionCall parts into tool_calls (with generated
/// ids when Gemini sends none), the finishReason normalised (tool_calls whenever a function was called) with the
/// original in <c>native_finish_reason</c>, and usageMetadata in OpenAI's terms (completion includes thoughts).
/// A prompt blocked before any candidate finishes with content_filter and the blockReason as native reason.
/// </summary>
public static class GeminiResponses
{
    /// <param name="created">Unix seconds for <c>created</c>; now when null.</param>
    /// <exception cref="TranslationException">The body is not a GenerateContentResponse.</exception>
    public static JsonObject ToChatCompletion(JsonObject generateContentResponse, long? created = null)
    {
        var response = generateContentResponse;
        if (response["candidates"] is not JsonArray && response["promptFeedback"] is not JsonObject)
        {
            throw new TranslationException("The Gemini response has neither candidates nor promptFeedback");
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = new JsonArray();
        foreach (var part in Parts(response))
        {
            switch (Read(part))
            {
                case GeminiPart.Thought thought:
                    reasoning.Append(thought.Value);
                    break;
                case GeminiPart.Text content:
                    text.Append(content.Value);
                    break;
                case GeminiPart.Call call:
                    toolCalls.Add(new JsonObject
                    {
                        ["id"] = call.Id,
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
                    });
                    break;
            }
        }

        var message = ChatChunks.AssistantMessage(text.ToString(), reasoning.ToString(), toolCalls);

        var native = NativeFinishReason(response) ?? "STOP";
        return new JsonObject
        {
            ["id"] = JsonRead.String(response["responseId"]),
            ["object"] = "chat.completion",
            ["created"] = ChatChunks.Now(created),
            ["model"] = JsonRead.String(response["modelVersion"]),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = FinishReason(native, calledFunction: toolCalls.Count > 0),
                ["native_finish_reason"] = native,
            }),
            ["usage"] = TokenUsage.FromGemini(response["usageMetadata"] as JsonObject).ToChatUsage(),
        };
    }

    /// <summary>Gemini ends a function call with STOP; OpenAI clients expect tool_calls then.</summary>
    internal static string? FinishReason(string? native, bool calledFunction) =>
        calledFunction && native is "STOP" ? FinishReasons.ToolCalls : FinishReasons.Normalize(native);

    /// <summary>The first candidate's finishReason, or the prompt's blockReason when nothing was generated.</summary>
    internal static string? NativeFinishReason(JsonObject response) =>
        JsonRead.String(((response["candidates"] as JsonArray)?.FirstOrDefault() as JsonObject)?["finishReason"])
        ?? JsonRead.String((response["promptFeedback"] as JsonObject)?["blockReason"]);

    internal static IEnumerable<JsonObject> Parts(JsonObject response) =>
        ((((response["candidates"] as JsonArray)?.FirstOrDefault() as JsonObject)?["content"] as JsonObject)?["parts"] as JsonArray ?? [])
        .OfType<JsonObject>();

    internal static GeminiPart? Read(JsonObject part)
    {
        if (part["functionCall"] is JsonObject call)
        {
            return new GeminiPart.Call(
                JsonRead.String(call["id"]) is { Length: > 0 } id ? id : NewToolCallId(),
                JsonRead.String(call["name"]) ?? "",
                (call["args"] as JsonObject)?.ToJsonString() ?? "{}");
        }
        if (JsonRead.String(part["text"]) is { } text)
        {
            return JsonRead.Bool(part["thought"]) == true ? new GeminiPart.Thought(text) : new GeminiPart.Text(text);
        }
        // inlineData, executableCode and the like have no chat completion equivalent.
        return null;
    }

    /// <summary>OpenAI-style ids; Gemini matches results by name, so the id only has to be unique for the client.</summary>
    private static string NewToolCallId() => "call_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
}

/// <summary>The parts of a Gemini candidate that matter to a chat completion.</summary>
internal abstract record GeminiPart
{
    public sealed record Text(string Value) : GeminiPart;

    public sealed record Thought(string Value) : GeminiPart;

    public sealed record Call(string Id, string Name, string Arguments) : GeminiPart;
}
