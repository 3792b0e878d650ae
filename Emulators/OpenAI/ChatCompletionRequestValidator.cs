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

        return null;
    }
}
