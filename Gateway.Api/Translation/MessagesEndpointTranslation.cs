using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// The gateway's Anthropic-format surface (<c>POST /api/v1/messages</c>) over the OpenAI-format pipeline: an
/// Anthropic request becomes a chat request for any model, and the chat completion becomes an Anthropic message.
/// Decisions where the formats differ:
/// <list type="bullet">
/// <item>tool_result blocks become tool messages placed before the rest of their user turn (OpenAI wants results
/// right after the assistant's calls); an is_error result's text is prefixed with "Error: " since OpenAI has no flag.</item>
/// <item>thinking blocks become <c>reasoning</c> plus Anthropic-format <c>reasoning_details</c> (signatures kept),
/// so that an Anthropic upstream gets them back unchanged.</item>
/// <item>thinking.budget_tokens becomes reasoning.max_tokens; adaptive thinking becomes reasoning.enabled.</item>
/// <item>Server tools (web search and the like) and document blocks with a text source are refused.</item>
/// <item>stream asks for usage in the stream (stream_options.include_usage), which the final events need.</item>
/// </list>
/// </summary>
public static class MessagesEndpointTranslation
{
    /// <exception cref="TranslationException">The request is not a valid Messages request or uses an unsupported feature.</exception>
    public static JsonObject ToChatRequest(JsonObject anthropicMessagesRequest)
    {
        var request = anthropicMessagesRequest;
        if (request["messages"] is not JsonArray { Count: > 0 } messages)
        {
            throw new TranslationException("messages must be a non-empty array");
        }

        var chatMessages = new JsonArray();
        if (request["system"] is { } system)
        {
            chatMessages.Add(new JsonObject { ["role"] = "system", ["content"] = SystemContent(system) });
        }
        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index] as JsonObject ?? throw new TranslationException($"messages.{index} must be an object");
            switch (JsonRead.String(message["role"]))
            {
                case "user":
                    AddUserTurn(chatMessages, message["content"], $"messages.{index}.content");
                    break;
                case "assistant":
                    chatMessages.Add(AssistantMessage(message["content"], $"messages.{index}.content"));
                    break;
                default:
                    throw new TranslationException($"messages.{index}.role must be 'user' or 'assistant'");
            }
        }

        var result = new JsonObject { ["model"] = JsonRead.Copy(request["model"]), ["messages"] = chatMessages };
        if (JsonRead.Int(request["max_tokens"]) is { } maxTokens)
        {
            result["max_tokens"] = maxTokens;
        }
        if (request["stop_sequences"] is JsonArray stops)
        {
            result["stop"] = stops.DeepClone();
        }
        foreach (var field in new[] { "temperature", "top_p", "top_k" })
        {
            if (JsonRead.Number(request[field]) is not null)
            {
                result[field] = request[field]!.DeepClone();
            }
        }
        if (JsonRead.Bool(request["stream"]) == true)
        {
            result["stream"] = true;
            result["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        if (JsonRead.String((request["metadata"] as JsonObject)?["user_id"]) is { } user)
        {
            result["user"] = user;
        }
        if (request["tools"] is JsonArray tools)
        {
            result["tools"] = new JsonArray([.. tools.Select((tool, index) => (JsonNode)Tool(tool as JsonObject, index))]);
        }
        if (request["tool_choice"] is JsonObject toolChoice)
        {
            AddToolChoice(result, toolChoice);
        }
        if (request["thinking"] is JsonObject thinking)
        {
            switch (JsonRead.String(thinking["type"]))
            {
                case "enabled":
                    result["reasoning"] = new JsonObject { ["max_tokens"] = JsonRead.Int(thinking["budget_tokens"]) };
                    break;
                case "adaptive":
                    result["reasoning"] = new JsonObject { ["enabled"] = true };
                    break;
            }
        }
        return result;
    }

    /// <summary>The first choice of a chat completion as an Anthropic message object.</summary>
    /// <exception cref="TranslationException">The completion has no choices.</exception>
    public static JsonObject ToMessagesResponse(JsonObject chatCompletion)
    {
        var choice = (chatCompletion["choices"] as JsonArray)?.FirstOrDefault() as JsonObject
            ?? throw new TranslationException("The chat completion has no choices");
        var message = choice["message"] as JsonObject ?? [];

        var content = new JsonArray();
        foreach (var thinking in ThinkingBlocks(JsonRead.String(message["reasoning"]), message["reasoning_details"] as JsonArray))
        {
            content.Add(thinking);
        }
        var text = JsonRead.String(message["content"])
            ?? string.Concat((message["content"] as JsonArray ?? []).OfType<JsonObject>().Select(part => JsonRead.String(part["text"])));
        if (text.Length == 0 && JsonRead.String(message["refusal"]) is { Length: > 0 } refusal)
        {
            // OpenAI puts a refusal beside the content; Anthropic clients only read blocks.
            text = refusal;
        }
        if (text.Length > 0)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }
        foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var function = call["function"] as JsonObject;
            content.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = JsonRead.String(call["id"]),
                ["name"] = JsonRead.String(function?["name"]),
                ["input"] = LenientObject(JsonRead.String(function?["arguments"])),
            });
        }

        return new JsonObject
        {
            ["id"] = JsonRead.String(chatCompletion["id"]),
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = JsonRead.String(chatCompletion["model"]),
            ["content"] = content,
            ["stop_reason"] = FinishReasons.ToAnthropic(JsonRead.String(choice["finish_reason"]), JsonRead.String(choice["native_finish_reason"])),
            ["stop_sequence"] = null,
            ["usage"] = TokenUsage.FromChat(chatCompletion["usage"] as JsonObject).ToAnthropicUsage(),
        };
    }

    /// <summary>
    /// Thinking blocks from reasoning_details when they carry Anthropic signatures, else one unsigned block
    /// from the reasoning text (other providers' reasoning cannot be signed).
    /// </summary>
    internal static IEnumerable<JsonObject> ThinkingBlocks(string? reasoning, JsonArray? details)
    {
        var signed = (details ?? []).OfType<JsonObject>()
            .Where(detail => JsonRead.String(detail["format"]) == AnthropicOutbound.ReasoningFormat)
            .Select(detail => JsonRead.String(detail["type"]) == "reasoning.encrypted"
                ? new JsonObject { ["type"] = "redacted_thinking", ["data"] = JsonRead.String(detail["data"]) }
                : new JsonObject { ["type"] = "thinking", ["thinking"] = JsonRead.String(detail["text"]) ?? "", ["signature"] = JsonRead.String(detail["signature"]) ?? "" })
            .ToList();
        if (signed.Count > 0)
        {
            return signed;
        }
        return string.IsNullOrEmpty(reasoning) ? [] : [new JsonObject { ["type"] = "thinking", ["thinking"] = reasoning, ["signature"] = "" }];
    }

    /// <summary>Arguments a model produced: an upstream's broken JSON should not fail the whole answer.</summary>
    private static JsonObject LenientObject(string? json)
    {
        try
        {
            return JsonRead.ParseObject(json, "arguments");
        }
        catch (TranslationException)
        {
            return [];
        }
    }

    private static JsonNode SystemContent(JsonNode system)
    {
        if (JsonRead.String(system) is { } text)
        {
            return text;
        }
        if (system is not JsonArray blocks)
        {
            throw new TranslationException("system must be a string or an array of text blocks");
        }
        return new JsonArray([.. blocks.Select((block, index) => (JsonNode)(JsonRead.String((block as JsonObject)?["type"]) == "text"
            ? TextPart((JsonObject)block!)
            : throw new TranslationException($"system.{index} must be a text block")))]);
    }

    private static JsonObject TextPart(JsonObject block)
    {
        var part = new JsonObject { ["type"] = "text", ["text"] = JsonRead.String(block["text"]) ?? "" };
        if (block["cache_control"] is { } cacheControl)
        {
            part["cache_control"] = cacheControl.DeepClone();
        }
        return part;
    }

    private static IEnumerable<JsonObject> Blocks(JsonNode? content, string field) => content switch
    {
        JsonArray blocks => blocks.Select((block, index) => block as JsonObject ?? throw new TranslationException($"{field}.{index} must be an object")),
        _ when JsonRead.String(content) is { } text => [new JsonObject { ["type"] = "text", ["text"] = text }],
        _ => throw new TranslationException($"{field} must be a string or an array of content blocks"),
    };

    private static void AddUserTurn(JsonArray chatMessages, JsonNode? content, string field)
    {
        if (JsonRead.String(content) is { } plain)
        {
            chatMessages.Add(new JsonObject { ["role"] = "user", ["content"] = plain });
            return;
        }
        var parts = new JsonArray();
        var index = 0;
        foreach (var block in Blocks(content, field))
        {
            var where = $"{field}.{index++}";
            if (JsonRead.String(block["type"]) == "tool_result")
            {
                chatMessages.Add(ToolMessage(block, where));
            }
            else
            {
                parts.Add(UserPart(block, where));
            }
        }
        if (parts.Count > 0)
        {
            chatMessages.Add(new JsonObject { ["role"] = "user", ["content"] = parts });
        }
    }

    private static JsonObject UserPart(JsonObject block, string field)
    {
        switch (JsonRead.String(block["type"]))
        {
            case "text":
                return TextPart(block);
            case "image":
                return new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = SourceUrl(block["source"] as JsonObject, $"{field}.source") } };
            case "document":
                return new JsonObject
                {
                    ["type"] = "file",
                    ["file"] = new JsonObject
                    {
                        ["filename"] = JsonRead.String(block["title"]) ?? "document.pdf",
                        ["file_data"] = SourceUrl(block["source"] as JsonObject, $"{field}.source"),
                    },
                };
            case var type:
                throw new TranslationException($"{field}.type '{type}' is not supported here");
        }
    }

    /// <summary>Anthropic's base64 or url source as the URL (data: or http) OpenAI parts take.</summary>
    private static string SourceUrl(JsonObject? source, string field) => JsonRead.String(source?["type"]) switch
    {
        "base64" => MediaSource.ToDataUrl(JsonRead.String(source!["media_type"]) ?? "application/octet-stream", JsonRead.String(source["data"]) ?? ""),
        "url" when JsonRead.String(source!["url"]) is { Length: > 0 } url => url,
        _ => throw new TranslationException($"{field} must be a base64 or url source"),
    };

    private static JsonObject ToolMessage(JsonObject block, string field)
    {
        var id = JsonRead.String(block["tool_use_id"]) ?? throw new TranslationException($"{field}.tool_use_id is required");
        var isError = JsonRead.Bool(block["is_error"]) == true;
        JsonNode content;
        if (block["content"] is null or JsonValue)
        {
            content = (isError ? "Error: " : "") + (JsonRead.String(block["content"]) ?? "");
        }
        else
        {
            var parts = new JsonArray([.. Blocks(block["content"], $"{field}.content").Select((part, index) => (JsonNode)UserPart(part, $"{field}.content.{index}"))]);
            if (isError)
            {
                parts.Insert(0, new JsonObject { ["type"] = "text", ["text"] = "Error:" });
            }
            content = parts;
        }
        return new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = content };
    }

    private static JsonObject AssistantMessage(JsonNode? content, string field)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var details = new JsonArray();
        var calls = new JsonArray();
        var index = 0;
        foreach (var block in Blocks(content, field))
        {
            var where = $"{field}.{index++}";
            switch (JsonRead.String(block["type"]))
            {
                case "text":
                    text.Append(JsonRead.String(block["text"]));
                    break;
                case "thinking":
                    var thinking = JsonRead.String(block["thinking"]) ?? "";
                    reasoning.Append(thinking);
                    details.Add(AnthropicResponses.ReasoningDetail(details.Count, thinking, JsonRead.String(block["signature"])));
                    break;
                case "redacted_thinking":
                    details.Add(AnthropicResponses.EncryptedDetail(details.Count, JsonRead.String(block["data"]) ?? ""));
                    break;
                case "tool_use":
                    calls.Add(new JsonObject
                    {
                        ["id"] = JsonRead.String(block["id"]) ?? throw new TranslationException($"{where}.id is required"),
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = JsonRead.String(block["name"]) ?? throw new TranslationException($"{where}.name is required"),
                            ["arguments"] = block["input"]?.ToJsonString() ?? "{}",
                        },
                    });
                    break;
                case var type:
                    throw new TranslationException($"{where}.type '{type}' is not supported here");
            }
        }

        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length == 0 && calls.Count > 0 ? null : text.ToString() };
        if (reasoning.Length > 0)
        {
            message["reasoning"] = reasoning.ToString();
        }
        if (details.Count > 0)
        {
            message["reasoning_details"] = details;
        }
        if (calls.Count > 0)
        {
            message["tool_calls"] = calls;
        }
        return message;
    }

    private static JsonObject Tool(JsonObject? tool, int index)
    {
        if (tool is null)
        {
            throw new TranslationException($"tools.{index} must be an object");
        }
        if (JsonRead.String(tool["type"]) is { } type && type != "custom")
        {
            throw new TranslationException($"tools.{index}: server tool '{type}' is not supported");
        }
        var function = new JsonObject { ["name"] = JsonRead.String(tool["name"]) ?? throw new TranslationException($"tools.{index}.name is required") };
        if (JsonRead.String(tool["description"]) is { } description)
        {
            function["description"] = description;
        }
        function["parameters"] = tool["input_schema"]?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        return new JsonObject { ["type"] = "function", ["function"] = function };
    }

    private static void AddToolChoice(JsonObject result, JsonObject toolChoice)
    {
        result["tool_choice"] = JsonRead.String(toolChoice["type"]) switch
        {
            "auto" => "auto",
            "none" => "none",
            "any" => "required",
            "tool" => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = JsonRead.String(toolChoice["name"]) } },
            var type => throw new TranslationException($"tool_choice.type '{type}' is not supported"),
        };
        if (JsonRead.Bool(toolChoice["disable_parallel_tool_use"]) == true)
        {
            result["parallel_tool_calls"] = false;
        }
    }
}
