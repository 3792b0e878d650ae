using System.Text.Json;

namespace Emulators.OpenAI;

/// <summary>The checks OpenAI makes that the emulator relies on; a failed check is answered with 400.</summary>
public static class ChatCompletionRequestValidator
{
    /// <returns>Null when the request can be served, otherwise the error to answer with.</returns>
    public static OpenAIErrorResponse? Validate(ChatCompletionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return OpenAIErrors.InvalidRequest("You must provide a model parameter.", "model");
        }

        if (request.Messages is not { Count: > 0 } messages)
        {
            return OpenAIErrors.InvalidRequest("The messages parameter must contain at least one message.", "messages");
        }

        for (var index = 0; index < messages.Count; index++)
        {
            if (string.IsNullOrWhiteSpace(messages[index]?.Role))
            {
                return OpenAIErrors.InvalidRequest($"messages[{index}] must have a role.", $"messages[{index}].role");
            }
        }

        if (request.MaxTokens is < 1)
        {
            return OpenAIErrors.InvalidRequest("The max_tokens parameter must be at least 1.", "max_tokens");
        }

        if (request.MaxCompletionTokens is < 1)
        {
            return OpenAIErrors.InvalidRequest("The max_completion_tokens parameter must be at least 1.", "max_completion_tokens");
        }

        if (request.ReasoningEffort is { } effort && !ReasoningEfforts.Contains(effort))
        {
            return OpenAIErrors.InvalidRequest(
                $"Invalid value: '{effort}'. Supported values are: {string.Join(", ", ReasoningEfforts.Select(e => $"'{e}'"))}.", "reasoning_effort");
        }

        if (request.Reasoning?.MaxTokens is < 0)
        {
            return OpenAIErrors.InvalidRequest("reasoning.max_tokens must not be negative.", "reasoning.max_tokens");
        }

        if (request.Stop is { ValueKind: not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null) }
            || request.Stop is { ValueKind: JsonValueKind.Array } stop && stop.GetArrayLength() > 4)
        {
            return OpenAIErrors.InvalidRequest("stop must be a string or an array of at most 4 strings.", "stop");
        }

        return ValidateToolChoice(request);
    }

    private static readonly string[] ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh"];

    private static OpenAIErrorResponse? ValidateToolChoice(ChatCompletionRequest request)
    {
        if (request.ToolChoice is not { ValueKind: not JsonValueKind.Null } toolChoice)
        {
            return null;
        }

        if (request.Tools is not { Count: > 0 })
        {
            return OpenAIErrors.InvalidRequest(
                "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice");
        }

        if (toolChoice.ValueKind == JsonValueKind.String)
        {
            return toolChoice.GetString() is "none" or "auto" or "required"
                ? null
                : OpenAIErrors.InvalidRequest(
                    $"Invalid value: '{toolChoice.GetString()}'. Supported values are: 'none', 'auto', and 'required'.", "tool_choice");
        }

        if (ChatCompletionFactory.ForcedFunctionName(toolChoice) is not { } name)
        {
            return OpenAIErrors.InvalidRequest(
                "tool_choice must be 'none', 'auto', 'required' or {\"type\": \"function\", \"function\": {\"name\": ...}}.", "tool_choice");
        }

        return ChatCompletionFactory.FunctionTools(request).Any(tool => tool.Name == name)
            ? null
            : OpenAIErrors.InvalidRequest($"Tool choice '{name}' not found in 'tools' parameter.", "tool_choice");
    }
}
