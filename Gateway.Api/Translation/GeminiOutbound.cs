using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// An OpenAI chat request as a Gemini generateContent request. Decisions where the formats differ:
/// <list type="bullet">
/// <item>system and developer messages become <c>systemInstruction</c>; assistant turns have role "model";
/// tool messages become user <c>functionResponse</c> parts named after the assistant tool call they answer
/// (Gemini matches results by name, not id); consecutive turns of one role are merged.</item>
/// <item>image URLs become <c>fileData</c> with a media type guessed from the extension (jpeg when unknown);
/// data URLs become <c>inlineData</c>.</item>
/// <item>Schemas go in <c>parametersJsonSchema</c> / <c>responseJsonSchema</c>, which take full JSON Schema,
/// rather than the OpenAPI-subset <c>parameters</c> / <c>responseSchema</c> that refuse common keywords.</item>
/// <item>A tool result is sent as its JSON object when it is one, else as <c>{"result": text}</c>.</item>
/// <item>reasoning becomes <c>thinkingConfig.thinkingBudget</c> (reasoning.max_tokens, or the effort's share
/// of max tokens, or <see cref="EffortBudgets"/> without a limit) with <c>includeThoughts</c> unless
/// reasoning.exclude; without a reasoning request the model's default applies.</item>
/// <item>No max tokens means none is sent: Gemini has its own default.</item>
/// </list>
/// </summary>
public static class GeminiOutbound
{
    public const string ApiKeyHeader = "x-goog-api-key";

    /// <summary>Gemini's largest thinking budget (2.5 Pro); larger requests are cut to it rather than refused.</summary>
    public const int MaxThinkingBudget = 32_768;

    /// <summary>Thinking budgets by effort when the request sets no max tokens to take a share of.</summary>
    public static readonly IReadOnlyDictionary<string, int> EffortBudgets = new Dictionary<string, int>
    {
        ["minimal"] = 512,
        ["low"] = 2048,
        ["medium"] = 8192,
        ["high"] = 24_576,
        ["xhigh"] = 32_768,
    };

    public static IReadOnlyDictionary<string, string> Headers(string apiKey) => new Dictionary<string, string> { [ApiKeyHeader] = apiKey };

    /// <summary>The path from the API host (or the emulator's <c>/providers/{slug}/</c>), e.g. <c>v1beta/models/{model}:streamGenerateContent?alt=sse</c>.</summary>
    public static string Path(string upstreamModel, bool stream) => "v1beta/" + PathFromVersionedBase(upstreamModel, stream);

    /// <summary>The path from a base URL that already ends in <c>/v1beta</c>, as the catalog's does.</summary>
    public static string PathFromVersionedBase(string upstreamModel, bool stream)
    {
        var model = upstreamModel.StartsWith("models/", StringComparison.Ordinal) ? upstreamModel["models/".Length..] : upstreamModel;
        // alt=sse: without it Google streams one JSON array instead of server-sent events.
        return $"models/{Uri.EscapeDataString(model)}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent");
    }

    /// <summary>The model goes in the URL (see <see cref="Path"/>) and streaming is chosen by the path, so neither is in the body.</summary>
    /// <exception cref="TranslationException">The request cannot be expressed for Gemini.</exception>
    public static JsonObject ToGenerateContentRequest(JsonObject openAiChatRequest)
    {
        var request = openAiChatRequest;
        ChatRequestParts.RefuseMultipleChoices(request);
        var messages = ChatRequestParts.Messages(request);
        var toolNames = ChatRequestParts.ToolCallNames(messages);

        var system = new JsonArray();
        var contents = new List<(string Role, JsonArray Parts)>();
        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index] as JsonObject ?? throw new TranslationException($"messages[{index}] must be an object");
            var field = $"messages[{index}]";
            switch (ChatRequestParts.Role(message, index))
            {
                case "system" or "developer":
                    system.Add(new JsonObject { ["text"] = ChatRequestParts.Text(message["content"], $"{field}.content") });
                    break;
                case "user":
                    AddTurn(contents, "user", ContentParts(message["content"], $"{field}.content"));
                    break;
                case "assistant":
                    AddTurn(contents, "model", AssistantParts(message, field));
                    break;
                case "tool":
                    AddTurn(contents, "user", [FunctionResponse(message, field, toolNames)]);
                    break;
                case var role:
                    throw new TranslationException($"{field}.role '{role}' is not supported");
            }
        }
        if (contents.Count == 0)
        {
            throw new TranslationException("messages must contain at least one user or assistant message");
        }

        var result = new JsonObject
        {
            ["contents"] = new JsonArray([.. contents.Select(turn => (JsonNode)new JsonObject { ["role"] = turn.Role, ["parts"] = turn.Parts })]),
        };
        if (system.Count > 0)
        {
            result["systemInstruction"] = new JsonObject { ["parts"] = system };
        }

        var tools = ChatRequestParts.Tools(request);
        if (tools.Count > 0)
        {
            result["tools"] = new JsonArray(new JsonObject
            {
                ["functionDeclarations"] = new JsonArray([.. tools.Select(tool =>
                {
                    var declaration = new JsonObject { ["name"] = tool.Name };
                    if (tool.Description is not null)
                    {
                        declaration["description"] = tool.Description;
                    }
                    declaration["parametersJsonSchema"] = tool.Parameters;
                    return (JsonNode)declaration;
                })]),
            });
        }
        if (ToolConfig(ChatToolChoice.Read(request["tool_choice"]), hasTools: tools.Count > 0) is { } toolConfig)
        {
            result["toolConfig"] = toolConfig;
        }
        if (GenerationConfig(request) is { Count: > 0 } generationConfig)
        {
            result["generationConfig"] = generationConfig;
        }
        return result;
    }

    private static JsonObject? ToolConfig(ChatToolChoice? choice, bool hasTools)
    {
        if (!hasTools)
        {
            return choice is { Mode: ChatToolChoice.Required or ChatToolChoice.Function }
                ? throw new TranslationException("tool_choice requires tools")
                : null;
        }
        var calling = choice?.Mode switch
        {
            null => null,
            ChatToolChoice.Auto => new JsonObject { ["mode"] = "AUTO" },
            ChatToolChoice.None => new JsonObject { ["mode"] = "NONE" },
            ChatToolChoice.Required => new JsonObject { ["mode"] = "ANY" },
            _ => new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = new JsonArray(choice.FunctionName) },
        };
        return calling is null ? null : new JsonObject { ["functionCallingConfig"] = calling };
    }

    private static JsonObject GenerationConfig(JsonObject request)
    {
        var config = new JsonObject();
        var maxTokens = ChatRequestParts.MaxTokens(request);
        if (maxTokens is { } max)
        {
            config["maxOutputTokens"] = max;
        }
        if (JsonRead.Number(request["temperature"]) is { } temperature)
        {
            config["temperature"] = temperature;
        }
        if (JsonRead.Number(request["top_p"]) is { } topP)
        {
            config["topP"] = topP;
        }
        if (JsonRead.Int(request["top_k"]) is { } topK)
        {
            config["topK"] = topK;
        }
        if (ChatRequestParts.StopSequences(request["stop"]) is { Count: > 0 } stops)
        {
            config["stopSequences"] = new JsonArray([.. stops.Select(stop => (JsonNode)stop)]);
        }
        if (JsonRead.Int(request["seed"]) is { } seed)
        {
            config["seed"] = seed;
        }
        if (JsonRead.Number(request["presence_penalty"]) is { } presence)
        {
            config["presencePenalty"] = presence;
        }
        if (JsonRead.Number(request["frequency_penalty"]) is { } frequency)
        {
            config["frequencyPenalty"] = frequency;
        }

        var format = request["response_format"] as JsonObject;
        switch (JsonRead.String(format?["type"]))
        {
            case "json_object":
                config["responseMimeType"] = "application/json";
                break;
            case "json_schema":
                config["responseMimeType"] = "application/json";
                if ((format!["json_schema"] as JsonObject)?["schema"] is JsonObject schema)
                {
                    config["responseJsonSchema"] = schema.DeepClone();
                }
                break;
        }

        if (ChatReasoning.Read(request) is { } reasoning)
        {
            var budget = reasoning.MaxTokens
                ?? (maxTokens is { } limit
                    ? Math.Max(1, (int)(limit * ChatReasoning.EffortRatio(reasoning.Effort)))
                    : EffortBudgets.GetValueOrDefault(reasoning.Effort?.ToLowerInvariant() ?? "medium", EffortBudgets["medium"]));
            config["thinkingConfig"] = new JsonObject { ["thinkingBudget"] = Math.Min(budget, MaxThinkingBudget), ["includeThoughts"] = !reasoning.Exclude };
        }
        return config;
    }

    private static void AddTurn(List<(string Role, JsonArray Parts)> contents, string role, JsonArray parts)
    {
        if (parts.Count == 0)
        {
            return;
        }
        if (contents.Count > 0 && contents[^1].Role == role)
        {
            foreach (var part in parts.ToList())
            {
                parts.Remove(part);
                contents[^1].Parts.Add(part);
            }
            return;
        }
        contents.Add((role, parts));
    }

    private static JsonArray ContentParts(JsonNode? content, string field)
    {
        var parts = new JsonArray();
        foreach (var part in ChatRequestParts.Parts(content, field))
        {
            switch (part)
            {
                case ChatPart.Text { Value.Length: 0 }:
                    break;
                case ChatPart.Text text:
                    parts.Add(new JsonObject { ["text"] = text.Value });
                    break;
                case ChatPart.Media { Source: var source }:
                    parts.Add(source.IsInline
                        ? new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = source.MediaType, ["data"] = source.Base64Data } }
                        : new JsonObject { ["fileData"] = new JsonObject { ["mimeType"] = source.MediaType, ["fileUri"] = source.Url } });
                    break;
            }
        }
        return parts;
    }

    private static JsonArray AssistantParts(JsonObject message, string field)
    {
        var parts = ContentParts(message["content"], $"{field}.content");
        if (message["tool_calls"] is JsonArray calls)
        {
            for (var index = 0; index < calls.Count; index++)
            {
                var (_, name, arguments) = ChatRequestParts.ToolCall(calls[index], $"{field}.tool_calls[{index}]");
                parts.Add(new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = arguments } });
            }
        }
        return parts;
    }

    private static JsonObject FunctionResponse(JsonObject message, string field, Dictionary<string, string> toolNames)
    {
        var id = JsonRead.String(message["tool_call_id"]);
        // Gemini needs the function's name: from the assistant call this answers, else the legacy name field.
        var name = (id is not null && toolNames.TryGetValue(id, out var called) ? called : null)
            ?? JsonRead.String(message["name"])
            ?? throw new TranslationException($"{field}.tool_call_id does not match any earlier assistant tool call");
        var text = ChatRequestParts.Text(message["content"], $"{field}.content");
        JsonObject response;
        try
        {
            response = System.Text.Json.Nodes.JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["result"] = text };
        }
        catch (System.Text.Json.JsonException)
        {
            response = new JsonObject { ["result"] = text };
        }
        return new JsonObject { ["functionResponse"] = new JsonObject { ["name"] = name, ["response"] = response } };
    }
}
