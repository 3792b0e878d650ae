using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// An OpenAI chat request as an Anthropic Messages request (<c>POST /v1/messages</c>). Decisions where the
/// formats differ:
/// <list type="bullet">
/// <item>system and developer messages become the top-level <c>system</c> blocks, wherever they stand.</item>
/// <item>tool messages become user <c>tool_result</c> blocks; consecutive messages of one role are merged,
/// because Anthropic requires user and assistant turns to alternate (parallel tool results share one turn).</item>
/// <item>max_tokens is required by Anthropic: the caller's, else <see cref="DefaultMaxTokens"/>, never above the cap.</item>
/// <item>reasoning becomes extended thinking: reasoning.max_tokens is the budget; an effort is OpenRouter's
/// share of max_tokens, at least <see cref="MinThinkingBudget"/> and at most <see cref="MaxEffortThinkingBudget"/>.
/// The budget must stay below max_tokens: without a caller max_tokens, max_tokens grows to budget plus the
/// default; with one, the budget shrinks, and thinking is dropped when under Anthropic's minimum. Thinking is
/// also dropped when tool_choice forces a tool (Anthropic refuses both), and temperature/top_k are dropped
/// while thinking (Anthropic refuses them too).</item>
/// <item>temperature is clamped to Anthropic's 0..1 (OpenAI's runs to 2).</item>
/// <item>response_format (json_object, json_schema) has no Anthropic equivalent: it becomes an instruction
/// appended to the system prompt, best effort.</item>
/// <item>Assistant <c>reasoning_details</c> of Anthropic origin (text with signature, encrypted) become
/// thinking/redacted_thinking blocks again, which Anthropic needs to continue a tool loop with thinking.</item>
/// <item>seed, penalties, logit_bias and logprobs have no Anthropic equivalent and are dropped; n &gt; 1 is refused.</item>
/// </list>
/// </summary>
public static class AnthropicOutbound
{
    public const int DefaultMaxTokens = 4096;
    public const int MinThinkingBudget = 1024;
    public const int MaxEffortThinkingBudget = 32_000;

    public const string ApiKeyHeader = "x-api-key";
    public const string VersionHeader = "anthropic-version";
    public const string ApiVersion = "2023-06-01";

    /// <summary>The Messages path from the API host (or the emulator's <c>/providers/{slug}/</c>).</summary>
    public const string Path = "v1/messages";

    /// <summary>The Messages path from a base URL that already ends in <c>/v1</c>, as the catalog's do.</summary>
    public const string PathFromVersionedBase = "messages";

    /// <summary>The reasoning_details format OpenRouter gives Anthropic's thinking blocks.</summary>
    public const string ReasoningFormat = "anthropic-claude-v1";

    public static IReadOnlyDictionary<string, string> Headers(string apiKey) => new Dictionary<string, string>
    {
        [ApiKeyHeader] = apiKey,
        [VersionHeader] = ApiVersion,
    };

    /// <param name="maxTokensCap">The endpoint's max completion tokens, if known: max_tokens never exceeds it.</param>
    /// <exception cref="TranslationException">The request cannot be expressed for Anthropic.</exception>
    public static JsonObject ToMessagesRequest(JsonObject openAiChatRequest, string upstreamModel, int? maxTokensCap = null)
    {
        var request = openAiChatRequest;
        ChatRequestParts.RefuseMultipleChoices(request);
        var messages = ChatRequestParts.Messages(request);

        var system = new JsonArray();
        var turns = new List<(string Role, JsonArray Blocks)>();
        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index] as JsonObject ?? throw new TranslationException($"messages[{index}] must be an object");
            var field = $"messages[{index}]";
            switch (ChatRequestParts.Role(message, index))
            {
                case "system" or "developer":
                    foreach (var part in ChatRequestParts.Parts(message["content"], $"{field}.content"))
                    {
                        system.Add(part is ChatPart.Text text
                            ? TextBlock(text)
                            : throw new TranslationException($"{field}.content may only contain text"));
                    }
                    break;
                case "user":
                    AddTurn(turns, "user", ContentBlocks(message["content"], $"{field}.content"));
                    break;
                case "assistant":
                    AddTurn(turns, "assistant", AssistantBlocks(message, field));
                    break;
                case "tool":
                    AddTurn(turns, "user", [ToolResult(message, field)]);
                    break;
                case var role:
                    throw new TranslationException($"{field}.role '{role}' is not supported");
            }
        }
        if (turns.Count == 0)
        {
            throw new TranslationException("messages must contain at least one user or assistant message");
        }

        var result = new JsonObject
        {
            ["model"] = upstreamModel,
            ["messages"] = new JsonArray([.. turns.Select(turn => (JsonNode)new JsonObject { ["role"] = turn.Role, ["content"] = turn.Blocks })]),
        };

        if (ChatRequestParts.JsonInstruction(request["response_format"]) is { } instruction)
        {
            system.Add(new JsonObject { ["type"] = "text", ["text"] = instruction });
        }
        if (system.Count > 0)
        {
            result["system"] = system;
        }

        var tools = ChatRequestParts.Tools(request);
        if (tools.Count > 0)
        {
            result["tools"] = new JsonArray([.. tools.Select(tool =>
            {
                var block = new JsonObject { ["name"] = tool.Name };
                if (tool.Description is not null)
                {
                    block["description"] = tool.Description;
                }
                block["input_schema"] = tool.Parameters;
                return (JsonNode)block;
            })]);
        }
        var toolChoice = ToolChoice(request, hasTools: tools.Count > 0);
        if (toolChoice is not null)
        {
            result["tool_choice"] = toolChoice;
        }

        var forcesTool = JsonRead.String(toolChoice?["type"]) is "any" or "tool";
        var (maxTokens, thinkingBudget) = TokenLimits(request, forcesTool ? null : ChatReasoning.Read(request), maxTokensCap);
        result["max_tokens"] = maxTokens;
        if (thinkingBudget is { } budget)
        {
            result["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = budget };
        }

        if (ChatRequestParts.StopSequences(request["stop"]) is { Count: > 0 } stops)
        {
            result["stop_sequences"] = new JsonArray([.. stops.Select(stop => (JsonNode)stop)]);
        }
        if (thinkingBudget is null && JsonRead.Number(request["temperature"]) is { } temperature)
        {
            result["temperature"] = Math.Clamp(temperature, 0, 1);
        }
        if (JsonRead.Number(request["top_p"]) is { } topP)
        {
            result["top_p"] = topP;
        }
        if (thinkingBudget is null && JsonRead.Int(request["top_k"]) is { } topK)
        {
            result["top_k"] = topK;
        }
        if (JsonRead.Bool(request["stream"]) == true)
        {
            result["stream"] = true;
        }
        if (JsonRead.String(request["user"]) is { Length: > 0 } user)
        {
            result["metadata"] = new JsonObject { ["user_id"] = user };
        }
        return result;
    }

    private static (int MaxTokens, int? ThinkingBudget) TokenLimits(JsonObject request, ChatReasoning? reasoning, int? cap)
    {
        var requested = ChatRequestParts.MaxTokens(request);
        var maxTokens = Math.Min(requested ?? DefaultMaxTokens, cap ?? int.MaxValue);
        if (reasoning is null)
        {
            return (maxTokens, null);
        }

        var budget = reasoning.MaxTokens
            ?? Math.Clamp((int)(maxTokens * ChatReasoning.EffortRatio(reasoning.Effort)), MinThinkingBudget, MaxEffortThinkingBudget);
        budget = Math.Max(budget, MinThinkingBudget);
        if (requested is null)
        {
            // The default max_tokens is for the answer; the budget comes on top of it.
            maxTokens = (int)Math.Min((long)budget + DefaultMaxTokens, cap ?? int.MaxValue);
        }
        budget = Math.Min(budget, maxTokens - 1);
        return budget < MinThinkingBudget ? (maxTokens, null) : (maxTokens, budget);
    }

    private static JsonObject? ToolChoice(JsonObject request, bool hasTools)
    {
        var choice = ChatToolChoice.Read(request["tool_choice"]);
        var parallel = JsonRead.Bool(request["parallel_tool_calls"]);
        if (!hasTools)
        {
            // Anthropic refuses a tool_choice without tools; "none" and "auto" mean the same then.
            return choice is { Mode: ChatToolChoice.Required or ChatToolChoice.Function }
                ? throw new TranslationException("tool_choice requires tools")
                : null;
        }
        JsonObject? result = choice?.Mode switch
        {
            null => null,
            ChatToolChoice.Auto => new JsonObject { ["type"] = "auto" },
            ChatToolChoice.None => new JsonObject { ["type"] = "none" },
            ChatToolChoice.Required => new JsonObject { ["type"] = "any" },
            _ => new JsonObject { ["type"] = "tool", ["name"] = choice.FunctionName },
        };
        if (parallel == false && choice?.Mode != ChatToolChoice.None)
        {
            result ??= new JsonObject { ["type"] = "auto" };
            result["disable_parallel_tool_use"] = true;
        }
        return result;
    }

    private static void AddTurn(List<(string Role, JsonArray Blocks)> turns, string role, JsonArray blocks)
    {
        if (blocks.Count == 0)
        {
            return;
        }
        if (turns.Count > 0 && turns[^1].Role == role)
        {
            foreach (var block in blocks.ToList())
            {
                blocks.Remove(block);
                turns[^1].Blocks.Add(block);
            }
            return;
        }
        turns.Add((role, blocks));
    }

    /// <summary>Text and media blocks; empty text is left out, since Anthropic refuses empty text blocks.</summary>
    private static JsonArray ContentBlocks(JsonNode? content, string field)
    {
        var blocks = new JsonArray();
        foreach (var part in ChatRequestParts.Parts(content, field))
        {
            switch (part)
            {
                case ChatPart.Text { Value.Length: 0 }:
                    break;
                case ChatPart.Text text:
                    blocks.Add(TextBlock(text));
                    break;
                case ChatPart.Media media:
                    blocks.Add(MediaBlock(media));
                    break;
            }
        }
        return blocks;
    }

    private static JsonObject TextBlock(ChatPart.Text text)
    {
        var block = new JsonObject { ["type"] = "text", ["text"] = text.Value };
        if (text.CacheControl is not null)
        {
            // OpenRouter's prompt-caching breakpoints on content parts are Anthropic's own.
            block["cache_control"] = text.CacheControl.DeepClone();
        }
        return block;
    }

    private static JsonObject MediaBlock(ChatPart.Media media)
    {
        var source = media.Source;
        if (!source.MediaType.StartsWith("image/", StringComparison.Ordinal) && source.MediaType != "application/pdf")
        {
            // Anthropic reads images and PDFs only (no audio, no other documents as base64).
            throw new TranslationException($"Anthropic models cannot read {source.MediaType} content");
        }
        var type = source.MediaType == "application/pdf" ? "document" : "image";
        return new JsonObject
        {
            ["type"] = type,
            ["source"] = source.IsInline
                ? new JsonObject { ["type"] = "base64", ["media_type"] = source.MediaType, ["data"] = source.Base64Data }
                : new JsonObject { ["type"] = "url", ["url"] = source.Url },
        };
    }

    private static JsonArray AssistantBlocks(JsonObject message, string field)
    {
        var blocks = new JsonArray();
        foreach (var detail in (message["reasoning_details"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (ThinkingBlock(detail) is { } thinking)
            {
                blocks.Add(thinking);
            }
        }
        foreach (var block in ContentBlocks(message["content"], $"{field}.content").ToList())
        {
            blocks.Add(block!.DeepClone());
        }
        if (message["tool_calls"] is JsonArray calls)
        {
            for (var index = 0; index < calls.Count; index++)
            {
                var (id, name, arguments) = ChatRequestParts.ToolCall(calls[index], $"{field}.tool_calls[{index}]");
                if (id.Length == 0)
                {
                    throw new TranslationException($"{field}.tool_calls[{index}].id is required");
                }
                blocks.Add(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = arguments });
            }
        }
        return blocks;
    }

    /// <summary>A thinking block from an Anthropic reasoning detail; details from other providers cannot be replayed.</summary>
    private static JsonObject? ThinkingBlock(JsonObject detail)
    {
        if (JsonRead.String(detail["format"]) is { } format && format != ReasoningFormat)
        {
            return null;
        }
        return JsonRead.String(detail["type"]) switch
        {
            "reasoning.text" when JsonRead.String(detail["signature"]) is { Length: > 0 } signature => new JsonObject
            {
                ["type"] = "thinking",
                ["thinking"] = JsonRead.String(detail["text"]) ?? "",
                ["signature"] = signature,
            },
            "reasoning.encrypted" when JsonRead.String(detail["data"]) is { Length: > 0 } data => new JsonObject
            {
                ["type"] = "redacted_thinking",
                ["data"] = data,
            },
            _ => null,
        };
    }

    private static JsonObject ToolResult(JsonObject message, string field)
    {
        var id = JsonRead.String(message["tool_call_id"]);
        if (string.IsNullOrEmpty(id))
        {
            throw new TranslationException($"{field}.tool_call_id is required");
        }
        // A plain string stays a string; parts keep their images, which tool results may carry.
        JsonNode content = JsonRead.String(message["content"]) is { } text
            ? text
            : ContentBlocks(message["content"], $"{field}.content");
        return new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = id, ["content"] = content };
    }
}
