using System.Text.Json;

namespace Gateway.Api.Inference;

/// <summary>Checks the parts of a chat completion request the gateway must understand before calling upstream.</summary>
public static class ChatCompletionRequestValidator
{
    /// <summary>Returns null when the body is acceptable, else a message for a 400 answer.</summary>
    public static string? Validate(ReadOnlySpan<byte> body)
    {
        ChatCompletionEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, InferenceJsonContext.Default.ChatCompletionEnvelope);
        }
        catch (JsonException ex)
        {
            // The reader's message names the position, never the content, so it is safe to return.
            return $"Invalid JSON body: {ex.Message}";
        }

        if (envelope is null)
        {
            return "The request body must be a JSON object";
        }
        if (string.IsNullOrWhiteSpace(envelope.Model))
        {
            return "'model' is required";
        }
        if (envelope.Messages is not { Count: > 0 })
        {
            return "'messages' must be a non-empty array";
        }
        if (envelope.Messages.Any(message => message.ValueKind != JsonValueKind.Object))
        {
            return "every entry in 'messages' must be an object";
        }
        return null;
    }
}
