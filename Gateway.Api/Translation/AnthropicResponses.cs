using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// An Anthropic Messages response as an OpenAI <c>chat.completion</c>, the OpenRouter way: text blocks joined into
/// content, thinking into <c>message.reasoning</c> (and, with its signature, <c>message.reasoning_details</c>, so a
/// client can send it back in a tool loop), tool_use blocks into tool_calls with JSON-text arguments, the
/// stop_reason normalised with the original in <c>native_finish_reason</c>.
/// </summary>
public static class AnthropicResponses
{
    /// <param name="created">Unix seconds for <c>created</c>; now when null (Anthropic sends none).</param>
    /// <exception cref="TranslationException">The body is not a Messages response.</exception>
    public static JsonObject ToChatCompletion(JsonObject messagesResponse, long? created = null)
    {
        if (messagesResponse["content"] is not JsonArray content)
        {
            throw new TranslationException("The Anthropic response has no content array");
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var details = new JsonArray();
        var toolCalls = new JsonArray();
        foreach (var block in content.OfType<JsonObject>())
        {
            switch (JsonRead.String(block["type"]))
            {
                case "text":
                    text.Append(JsonRead.String(block["text"]));
                    break;
                case "thinking":
                    var thinking = JsonRead.String(block["thinking"]) ?? "";
                    reasoning.Append(thinking);
                    details.Add(ReasoningDetail(details.Count, thinking, JsonRead.String(block["signature"])));
                    break;
                case "redacted_thinking":
                    details.Add(EncryptedDetail(details.Count, JsonRead.String(block["data"]) ?? ""));
                    break;
                case "tool_use":
                    toolCalls.Add(new JsonObject
                    {
                        ["id"] = JsonRead.String(block["id"]),
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = JsonRead.String(block["name"]),
                            ["arguments"] = (block["input"] as JsonObject)?.ToJsonString() ?? "{}",
                        },
                    });
                    break;
            }
        }

        var message = ChatChunks.AssistantMessage(text.ToString(), reasoning.ToString(), toolCalls, details);

        var native = JsonRead.String(messagesResponse["stop_reason"]);
        return new JsonObject
        {
            ["id"] = JsonRead.String(messagesResponse["id"]),
            ["object"] = "chat.completion",
            ["created"] = ChatChunks.Now(created),
            ["model"] = JsonRead.String(messagesResponse["model"]),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = FinishReasons.Normalize(native),
                ["native_finish_reason"] = native,
            }),
            ["usage"] = TokenUsage.FromAnthropic(messagesResponse["usage"] as JsonObject).ToChatUsage(),
        };
    }

    internal static JsonObject ReasoningDetail(int index, string text, string? signature)
    {
        var detail = new JsonObject { ["type"] = "reasoning.text", ["text"] = text };
        if (signature is not null)
        {
            detail["signature"] = signature;
        }
        detail["format"] = AnthropicOutbound.ReasoningFormat;
        detail["index"] = index;
        return detail;
    }

    internal static JsonObject EncryptedDetail(int index, string data) => new()
    {
        ["type"] = "reasoning.encrypted",
        ["data"] = data,
        ["format"] = AnthropicOutbound.ReasoningFormat,
        ["index"] = index,
    };
}
