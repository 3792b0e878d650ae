using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// OpenAI's Responses format (<c>POST /api/v1/responses</c>) over the chat pipeline, stateless as OpenRouter's:
/// <c>instructions</c> and <c>input</c> (a string, or message, <c>function_call</c> and <c>function_call_output</c>
/// items with text and image parts) become chat messages; function tools, <c>tool_choice</c>, <c>text.format</c>,
/// <c>reasoning</c> and <c>max_output_tokens</c> map to their chat twins. Stored conversations
/// (<c>previous_response_id</c>) and built-in tools are refused with a 400.
/// </summary>
public static class ResponsesEndpointTranslation
{
    /// <summary>Fields that carry over to the chat request as they are.</summary>
    private static readonly string[] PassThrough = ["model", "models", "provider", "temperature", "top_p", "user", "parallel_tool_calls", "metadata", "transforms", "plugins"];

    /// <exception cref="TranslationException">The request is not a valid Responses request or uses an unsupported feature.</exception>
    public static JsonObject ToChatRequest(JsonObject request)
    {
        if (request["previous_response_id"] is JsonValue)
        {
            throw new TranslationException("previous_response_id is not supported: responses are not stored; send the whole conversation in 'input'");
        }

        var messages = new JsonArray();
        if (JsonRead.String(request["instructions"]) is { Length: > 0 } instructions)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        }
        switch (request["input"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
                break;
            case JsonArray items when items.Count > 0:
                AddItems(messages, items);
                break;
            default:
                throw new TranslationException("'input' must be a string or a non-empty array of items");
        }

        var chat = new JsonObject { ["messages"] = messages };
        foreach (var field in PassThrough)
        {
            if (request[field] is { } value)
            {
                chat[field] = value.DeepClone();
            }
        }
        if (JsonRead.Int(request["max_output_tokens"]) is { } maxTokens)
        {
            chat["max_tokens"] = maxTokens;
        }
        if (JsonRead.Bool(request["stream"]) == true)
        {
            chat["stream"] = true;
        }
        if (request["tools"] is JsonArray tools && tools.Count > 0)
        {
            chat["tools"] = new JsonArray([.. tools.Select((tool, index) => (JsonNode)Tool(tool as JsonObject, index))]);
        }
        if (request["tool_choice"] is { } toolChoice)
        {
            chat["tool_choice"] = toolChoice switch
            {
                JsonValue value when value.TryGetValue<string>(out var mode) && mode is "auto" or "none" or "required" => mode,
                JsonObject { } choice when JsonRead.String(choice["type"]) == "function" && JsonRead.String(choice["name"]) is { } name
                    => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } },
                _ => throw new TranslationException("'tool_choice' must be auto, none, required or {\"type\":\"function\",\"name\":...}"),
            };
        }
        if ((request["text"] as JsonObject)?["format"] is JsonObject format)
        {
            switch (JsonRead.String(format["type"]))
            {
                case "json_object":
                    chat["response_format"] = new JsonObject { ["type"] = "json_object" };
                    break;
                case "json_schema":
                    chat["response_format"] = new JsonObject
                    {
                        ["type"] = "json_schema",
                        ["json_schema"] = new JsonObject
                        {
                            ["name"] = JsonRead.String(format["name"]) ?? "response",
                            ["schema"] = format["schema"]?.DeepClone(),
                            ["strict"] = JsonRead.Bool(format["strict"]),
                        },
                    };
                    break;
            }
        }
        if (request["reasoning"] is JsonObject reasoning && JsonRead.String(reasoning["effort"]) is { } effort)
        {
            chat["reasoning"] = new JsonObject { ["effort"] = effort };
        }
        return chat;
    }

    private static void AddItems(JsonArray messages, JsonArray items)
    {
        JsonArray? pendingCalls = null;
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index] as JsonObject ?? throw new TranslationException($"input.{index} must be an object");
            var type = JsonRead.String(item["type"]) ?? (item["role"] is not null ? "message" : null);
            if (type != "function_call")
            {
                pendingCalls = null;
            }
            switch (type)
            {
                case "message":
                    messages.Add(Message(item, $"input.{index}"));
                    break;
                case "function_call":
                    // Consecutive calls are one assistant turn with several tool calls, as chat wants them.
                    if (pendingCalls is null)
                    {
                        pendingCalls = [];
                        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = pendingCalls });
                    }
                    pendingCalls.Add(new JsonObject
                    {
                        ["id"] = Required(item, "call_id", index),
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = Required(item, "name", index), ["arguments"] = JsonRead.String(item["arguments"]) ?? "{}" },
                    });
                    break;
                case "function_call_output":
                    messages.Add(new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = Required(item, "call_id", index),
                        ["content"] = JsonRead.String(item["output"]) ?? item["output"]?.ToJsonString() ?? "",
                    });
                    break;
                case "reasoning":
                    // The model's earlier reasoning: not something a chat request can carry back.
                    break;
                default:
                    throw new TranslationException($"input.{index}.type '{type}' is not supported (message, function_call, function_call_output)");
            }
        }
    }

    private static string Required(JsonObject item, string field, int index)
        => JsonRead.String(item[field]) is { Length: > 0 } value ? value : throw new TranslationException($"input.{index}.{field} is required");

    private static JsonObject Message(JsonObject item, string path)
    {
        var role = JsonRead.String(item["role"]) switch
        {
            "developer" or "system" => "system",
            "user" => "user",
            "assistant" => "assistant",
            _ => throw new TranslationException($"{path}.role must be user, assistant, system or developer"),
        };
        var content = item["content"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => (JsonNode)text,
            JsonArray parts => role == "assistant"
                ? string.Concat(parts.OfType<JsonObject>().Select(part => JsonRead.String(part["text"])))
                : new JsonArray([.. parts.Select((part, index) => (JsonNode)Part(part as JsonObject, $"{path}.content.{index}"))]),
            _ => throw new TranslationException($"{path}.content must be a string or an array of parts"),
        };
        return new JsonObject { ["role"] = role, ["content"] = content };
    }

    private static JsonObject Part(JsonObject? part, string path)
    {
        switch (JsonRead.String(part?["type"]))
        {
            case "input_text" or "output_text" or "text":
                return new JsonObject { ["type"] = "text", ["text"] = JsonRead.String(part!["text"]) ?? "" };
            case "input_image":
                var url = JsonRead.String(part!["image_url"]) ?? throw new TranslationException($"{path}.image_url is required (file_id is not supported)");
                var image = new JsonObject { ["url"] = url };
                if (JsonRead.String(part["detail"]) is { } detail)
                {
                    image["detail"] = detail;
                }
                return new JsonObject { ["type"] = "image_url", ["image_url"] = image };
            default:
                throw new TranslationException($"{path}.type must be input_text or input_image");
        }
    }

    private static JsonObject Tool(JsonObject? tool, int index)
    {
        if (JsonRead.String(tool?["type"]) != "function" || JsonRead.String(tool!["name"]) is not { Length: > 0 } name)
        {
            throw new TranslationException($"tools.{index}: only function tools with a name are supported");
        }
        var function = new JsonObject { ["name"] = name, ["parameters"] = tool["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object" } };
        if (JsonRead.String(tool["description"]) is { } description)
        {
            function["description"] = description;
        }
        if (JsonRead.Bool(tool["strict"]) is { } strict)
        {
            function["strict"] = strict;
        }
        return new JsonObject { ["type"] = "function", ["function"] = function };
    }

    /// <summary>A whole chat completion (its first choice) as a Responses <c>response</c> object.</summary>
    public static JsonObject ToResponse(JsonObject chatCompletion)
    {
        var choice = (chatCompletion["choices"] as JsonArray)?.FirstOrDefault() as JsonObject;
        var message = choice?["message"] as JsonObject ?? [];
        var id = JsonRead.String(chatCompletion["id"]) ?? "";
        var output = new JsonArray();
        if (JsonRead.String(message["reasoning"]) is { Length: > 0 } reasoning)
        {
            output.Add(ReasoningItem(id, reasoning));
        }
        var text = JsonRead.String(message["content"]) ?? JsonRead.String(message["refusal"]) ?? "";
        if (text.Length > 0)
        {
            output.Add(MessageItem(id, text, "completed"));
        }
        foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var function = call["function"] as JsonObject;
            output.Add(FunctionCallItem(JsonRead.String(call["id"]) ?? "", JsonRead.String(function?["name"]) ?? "",
                JsonRead.String(function?["arguments"]) ?? "", "completed"));
        }
        return Envelope(chatCompletion, StatusFor(JsonRead.String(choice?["finish_reason"])), output, chatCompletion["usage"] as JsonObject);
    }

    /// <summary>completed, or incomplete when the answer was cut at the token limit or by a content filter.</summary>
    internal static string StatusFor(string? finishReason) => finishReason is "length" or "content_filter" ? "incomplete" : "completed";

    internal static JsonObject Envelope(JsonObject chat, string status, JsonArray output, JsonObject? chatUsage) => new()
    {
        ["id"] = JsonRead.String(chat["id"]),
        ["object"] = "response",
        ["created_at"] = JsonRead.Copy(chat["created"]) ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["status"] = status,
        ["model"] = JsonRead.String(chat["model"]),
        ["provider"] = JsonRead.String(chat["provider"]),
        ["output"] = output,
        ["error"] = null,
        ["incomplete_details"] = status == "incomplete" ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
        ["parallel_tool_calls"] = true,
        ["tool_choice"] = "auto",
        ["tools"] = new JsonArray(),
        ["usage"] = chatUsage is null ? null : Usage(chatUsage),
    };

    /// <summary>Chat usage in Responses terms, keeping OpenRouter's <c>cost</c>.</summary>
    internal static JsonObject Usage(JsonObject chatUsage)
    {
        var usage = TokenUsage.FromChat(chatUsage);
        var result = new JsonObject
        {
            ["input_tokens"] = usage.PromptTokens,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CachedTokens },
            ["output_tokens"] = usage.CompletionTokens,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage.ReasoningTokens ?? 0 },
            ["total_tokens"] = usage.TotalTokens,
        };
        foreach (var field in new[] { "cost", "is_byok", "cost_details" })
        {
            if (chatUsage[field] is { } value)
            {
                result[field] = value.DeepClone();
            }
        }
        return result;
    }

    internal static JsonObject MessageItem(string responseId, string text, string status) => new()
    {
        ["type"] = "message",
        ["id"] = $"msg_{responseId}",
        ["status"] = status,
        ["role"] = "assistant",
        ["content"] = new JsonArray(OutputText(text)),
    };

    internal static JsonObject OutputText(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() };

    internal static JsonObject ReasoningItem(string responseId, string reasoning) => new()
    {
        ["type"] = "reasoning",
        ["id"] = $"rs_{responseId}",
        ["summary"] = new JsonArray(new JsonObject { ["type"] = "summary_text", ["text"] = reasoning }),
    };

    internal static JsonObject FunctionCallItem(string callId, string name, string arguments, string status) => new()
    {
        ["type"] = "function_call",
        ["id"] = $"fc_{callId}",
        ["call_id"] = callId,
        ["name"] = name,
        ["arguments"] = arguments,
        ["status"] = status,
    };
}
