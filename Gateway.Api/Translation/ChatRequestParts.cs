using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>One piece of an OpenAI message's content: text (with an optional cache_control marker) or media.</summary>
internal abstract record ChatPart
{
    public sealed record Text(string Value, JsonNode? CacheControl) : ChatPart;

    /// <param name="Filename">For <c>file</c> parts; null for images.</param>
    public sealed record Media(MediaSource Source, string? Filename) : ChatPart;
}

/// <summary>OpenAI's tool_choice, read once for both outbound translators.</summary>
internal sealed record ChatToolChoice(string Mode, string? FunctionName)
{
    public const string Auto = "auto";
    public const string None = "none";
    public const string Required = "required";
    public const string Function = "function";

    public static ChatToolChoice? Read(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue when JsonRead.String(node) is Auto or None or Required:
                return new ChatToolChoice(JsonRead.String(node)!, null);
            case JsonObject choice when JsonRead.String(choice["type"]) == Function
                                     && JsonRead.String((choice["function"] as JsonObject)?["name"]) is { Length: > 0 } name:
                return new ChatToolChoice(Function, name);
            default:
                throw new TranslationException("tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":...}}");
        }
    }
}

/// <summary>A function tool of an OpenAI request.</summary>
internal sealed record ChatTool(string Name, string? Description, JsonObject Parameters);

/// <summary>OpenRouter's <c>reasoning</c> object (or OpenAI's <c>reasoning_effort</c>), when the caller asked for reasoning.</summary>
internal sealed record ChatReasoning(string? Effort, int? MaxTokens, bool Exclude)
{
    /// <summary>OpenRouter's share of max_tokens spent on reasoning per effort level.</summary>
    public static double EffortRatio(string? effort) => effort?.ToLowerInvariant() switch
    {
        "xhigh" => 0.95,
        "high" => 0.8,
        "low" => 0.2,
        "minimal" => 0.1,
        _ => 0.5,
    };

    /// <summary>Null when reasoning is not asked for, or explicitly off (enabled:false, effort "none").</summary>
    public static ChatReasoning? Read(JsonObject request)
    {
        var reasoning = request["reasoning"] as JsonObject;
        var effort = JsonRead.String(reasoning?["effort"]) ?? JsonRead.String(request["reasoning_effort"]);
        var maxTokens = JsonRead.Int(reasoning?["max_tokens"]);
        if (JsonRead.Bool(reasoning?["enabled"]) == false || effort == "none" || maxTokens is 0)
        {
            return null;
        }
        if (reasoning is null && effort is null)
        {
            return null;
        }
        return new ChatReasoning(effort, maxTokens is > 0 ? maxTokens : null, JsonRead.Bool(reasoning?["exclude"]) == true);
    }
}

/// <summary>What the outbound translators read from an OpenAI chat request, with the checks they share.</summary>
internal static class ChatRequestParts
{
    public static JsonArray Messages(JsonObject request) =>
        request["messages"] as JsonArray is { Count: > 0 } messages
            ? messages
            : throw new TranslationException("messages must be a non-empty array");

    public static string Role(JsonObject message, int index) =>
        JsonRead.String(message["role"]) is { } role ? role : throw new TranslationException($"messages[{index}].role is required");

    /// <summary>The content's pieces in order: a string is one text part, null none; unknown part types are refused.</summary>
    public static IEnumerable<ChatPart> Parts(JsonNode? content, string field)
    {
        if (content is null)
        {
            yield break;
        }
        if (JsonRead.String(content) is { } text)
        {
            yield return new ChatPart.Text(text, null);
            yield break;
        }
        if (content is not JsonArray parts)
        {
            throw new TranslationException($"{field} must be a string or an array of content parts");
        }
        for (var index = 0; index < parts.Count; index++)
        {
            var part = parts[index] as JsonObject ?? throw new TranslationException($"{field}[{index}] must be an object");
            var where = $"{field}[{index}]";
            switch (JsonRead.String(part["type"]))
            {
                case "text":
                    yield return new ChatPart.Text(JsonRead.String(part["text"]) ?? throw new TranslationException($"{where}.text is required"), part["cache_control"]);
                    break;
                case "image_url":
                    var imageUrl = part["image_url"] is JsonObject image ? JsonRead.String(image["url"]) : JsonRead.String(part["image_url"]);
                    yield return new ChatPart.Media(MediaSource.Parse(imageUrl, $"{where}.image_url.url", "image/jpeg"), null);
                    break;
                case "file":
                    var file = part["file"] as JsonObject;
                    yield return new ChatPart.Media(
                        MediaSource.Parse(JsonRead.String(file?["file_data"]), $"{where}.file.file_data", "application/pdf"),
                        JsonRead.String(file?["filename"]));
                    break;
                case "input_audio":
                    var audio = part["input_audio"] as JsonObject;
                    var data = JsonRead.String(audio?["data"]);
                    if (string.IsNullOrEmpty(data))
                    {
                        throw new TranslationException($"{where}.input_audio.data is required");
                    }
                    // OpenAI sends bare base64 with a format (wav, mp3); the providers want a media type.
                    yield return new ChatPart.Media(new MediaSource(null, "audio/" + (JsonRead.String(audio!["format"]) ?? "wav"), data), null);
                    break;
                case var type:
                    throw new TranslationException($"{where}.type '{type}' is not supported by this provider");
            }
        }
    }

    /// <summary>The text parts joined by newlines (system prompts, tool results); media is refused there.</summary>
    public static string Text(JsonNode? content, string field) =>
        string.Join('\n', Parts(content, field).Select(part => part is ChatPart.Text text
            ? text.Value
            : throw new TranslationException($"{field} may only contain text")));

    public static IReadOnlyList<ChatTool> Tools(JsonObject request)
    {
        if (request["tools"] is not JsonArray tools)
        {
            return [];
        }
        var result = new List<ChatTool>(tools.Count);
        for (var index = 0; index < tools.Count; index++)
        {
            var tool = tools[index] as JsonObject;
            if (JsonRead.String(tool?["type"]) != "function" || tool!["function"] is not JsonObject function)
            {
                throw new TranslationException($"tools[{index}] must be a function tool");
            }
            var name = JsonRead.String(function["name"]);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new TranslationException($"tools[{index}].function.name is required");
            }
            // A function without parameters takes none; both providers want a schema object regardless.
            var parameters = function["parameters"] as JsonObject ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            result.Add(new ChatTool(name, JsonRead.String(function["description"]), (JsonObject)parameters.DeepClone()));
        }
        return result;
    }

    /// <summary>max_completion_tokens wins over the older max_tokens, as OpenAI does.</summary>
    public static int? MaxTokens(JsonObject request)
    {
        var value = JsonRead.Int(request["max_completion_tokens"]) ?? JsonRead.Int(request["max_tokens"]);
        return value is < 1 ? throw new TranslationException("max_tokens must be at least 1") : value;
    }

    public static IReadOnlyList<string>? StopSequences(JsonNode? stop) => stop switch
    {
        null => null,
        JsonArray array => [.. array.Select(item => JsonRead.String(item) ?? throw new TranslationException("stop must be a string or an array of strings"))],
        _ => JsonRead.String(stop) is { } single ? [single] : throw new TranslationException("stop must be a string or an array of strings"),
    };

    /// <summary>Providers answer one choice per request; silently answering fewer than asked would mislead.</summary>
    public static void RefuseMultipleChoices(JsonObject request)
    {
        if (JsonRead.Int(request["n"]) is > 1)
        {
            throw new TranslationException("n greater than 1 is not supported by this provider");
        }
    }

    /// <summary>The tool_call id → function name of every earlier assistant turn (Gemini's results need the name).</summary>
    public static Dictionary<string, string> ToolCallNames(JsonArray messages)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages.OfType<JsonObject>())
        {
            foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (JsonRead.String(call["id"]) is { } id && JsonRead.String((call["function"] as JsonObject)?["name"]) is { } name)
                {
                    names[id] = name;
                }
            }
        }
        return names;
    }

    /// <summary>An assistant tool call's id, name and parsed arguments.</summary>
    public static (string Id, string Name, JsonObject Arguments) ToolCall(JsonNode? node, string field)
    {
        var call = node as JsonObject ?? throw new TranslationException($"{field} must be an object");
        var function = call["function"] as JsonObject ?? throw new TranslationException($"{field}.function is required");
        var name = JsonRead.String(function["name"]);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new TranslationException($"{field}.function.name is required");
        }
        return (JsonRead.String(call["id"]) ?? "", name, JsonRead.ParseObject(JsonRead.String(function["arguments"]), $"{field}.function.arguments"));
    }

    /// <summary>response_format as an instruction for providers without a native JSON mode; null for text.</summary>
    public static string? JsonInstruction(JsonNode? responseFormat) => JsonRead.String((responseFormat as JsonObject)?["type"]) switch
    {
        "json_object" => "Respond only with a single valid JSON object, without any other text or code fences.",
        "json_schema" when ((JsonObject)responseFormat!)["json_schema"] is JsonObject schema =>
            "Respond only with a single valid JSON value that conforms to this JSON schema, without any other text or code fences:\n"
            + (schema["schema"]?.ToJsonString() ?? "{}"),
        _ => null,
    };
}
