namespace Emulators.Anthropic;

/// <summary>
/// The checks Anthropic makes that the emulator relies on, with Anthropic's wording where it is known;
/// a failed check is answered with 400 invalid_request_error.
/// </summary>
public static class MessagesRequestValidator
{
    /// <summary>Anthropic's smallest thinking budget.</summary>
    public const int MinThinkingBudget = 1024;

    /// <param name="countingTokens">For count_tokens, which takes no max_tokens.</param>
    /// <returns>Null when the request can be served, otherwise the error to answer with.</returns>
    public static AnthropicErrorResponse? Validate(MessagesRequest request, bool countingTokens = false)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return AnthropicErrors.InvalidRequest("model: Field required");
        }

        if (!countingTokens)
        {
            if (request.MaxTokens is not { } maxTokens)
            {
                return AnthropicErrors.InvalidRequest("max_tokens: Field required");
            }
            if (maxTokens < 1)
            {
                return AnthropicErrors.InvalidRequest("max_tokens: Input should be greater than or equal to 1");
            }
        }

        if (request.Messages is not { } messages)
        {
            return AnthropicErrors.InvalidRequest("messages: Field required");
        }
        if (messages.Count == 0)
        {
            return AnthropicErrors.InvalidRequest("messages: at least one message is required");
        }

        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index];
            if (message?.Role == "system")
            {
                return AnthropicErrors.InvalidRequest(
                    "messages: Unexpected role \"system\". The Messages API accepts a top-level `system` parameter, not \"system\" as an input message role.");
            }
            if (message?.Role is not ("user" or "assistant"))
            {
                return AnthropicErrors.InvalidRequest($"messages.{index}.role: Input should be 'user' or 'assistant'");
            }
            if (message.Content is null)
            {
                return AnthropicErrors.InvalidRequest($"messages.{index}.content: Field required");
            }
            for (var block = 0; block < message.Content.Count; block++)
            {
                if (message.Content[block] is not { Type.Length: > 0 } contentBlock)
                {
                    return AnthropicErrors.InvalidRequest($"messages.{index}.content.{block}.type: Field required");
                }
                if (contentBlock.Type == "text" && contentBlock.Text is null)
                {
                    return AnthropicErrors.InvalidRequest($"messages.{index}.content.{block}.text: Field required");
                }
            }
        }

        if (request.Tools is { } tools && tools.Any(tool => tool.Type is null && string.IsNullOrWhiteSpace(tool.Name)))
        {
            return AnthropicErrors.InvalidRequest("tools: every tool needs a name");
        }

        return ValidateThinking(request, countingTokens) ?? ValidateToolChoice(request);
    }

    private static AnthropicErrorResponse? ValidateThinking(MessagesRequest request, bool countingTokens)
    {
        switch (request.Thinking)
        {
            case null or { Type: "disabled" or "adaptive" }:
                return null;
            case { Type: "enabled", BudgetTokens: null }:
                return AnthropicErrors.InvalidRequest("thinking.enabled.budget_tokens: Field required");
            case { Type: "enabled", BudgetTokens: < MinThinkingBudget }:
                return AnthropicErrors.InvalidRequest(
                    $"thinking.enabled.budget_tokens: Input should be greater than or equal to {MinThinkingBudget}");
            case { Type: "enabled", BudgetTokens: { } budget } when !countingTokens && budget >= request.MaxTokens:
                return AnthropicErrors.InvalidRequest("`max_tokens` must be greater than `thinking.budget_tokens`.");
            case { Type: "enabled" } when request.ToolChoice?.Type is "any" or "tool":
                return AnthropicErrors.InvalidRequest("Thinking may not be enabled when tool_choice forces tool use.");
            case { Type: "enabled" }:
                return null;
            default:
                return AnthropicErrors.InvalidRequest(
                    $"thinking: Input tag '{request.Thinking.Type}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'");
        }
    }

    private static AnthropicErrorResponse? ValidateToolChoice(MessagesRequest request)
    {
        switch (request.ToolChoice)
        {
            case null or { Type: "auto" or "any" or "none" }:
                return null;
            case { Type: "tool", Name: null or "" }:
                return AnthropicErrors.InvalidRequest("tool_choice.tool.name: Field required");
            case { Type: "tool", Name: var name }:
                return request.Tools?.Any(tool => tool.Name == name) == true
                    ? null
                    : AnthropicErrors.InvalidRequest($"tool_choice: tool '{name}' is not in tools");
            default:
                return AnthropicErrors.InvalidRequest(
                    $"tool_choice: Input tag '{request.ToolChoice.Type}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
        }
    }
}
