using System.Text.Json;

namespace Gateway.Api.Inference;

/// <summary>Parses and checks the parts of a chat completion request the gateway must understand before routing.</summary>
public static class ChatCompletionRequestValidator
{
    /// <summary>Returns null when the body is acceptable, else a message for a 400 answer.</summary>
    public static string? Validate(ReadOnlySpan<byte> body) => TryParse(body, out _);

    /// <summary>Parses the body once; returns null and the envelope when acceptable, else a message for a 400 answer.</summary>
    public static string? TryParse(ReadOnlySpan<byte> body, out ChatCompletionEnvelope? envelope)
    {
        try
        {
            envelope = JsonSerializer.Deserialize(body, InferenceJsonContext.Default.ChatCompletionEnvelope);
        }
        catch (JsonException ex)
        {
            envelope = null;
            // The reader's message names the position, never the content, so it is safe to return.
            return $"Invalid JSON body: {ex.Message}";
        }

        if (envelope is null)
        {
            return "The request body must be a JSON object";
        }
        var hasModels = envelope.Models is { Count: > 0 } models && models.All(model => !string.IsNullOrWhiteSpace(model));
        if (envelope.Models is not null && !hasModels)
        {
            return "'models' must be a non-empty array of model ids";
        }
        if (string.IsNullOrWhiteSpace(envelope.Model) && !hasModels)
        {
            return "'model' (or a 'models' list) is required";
        }
        if (envelope.Model is { } model && string.IsNullOrWhiteSpace(model))
        {
            return "'model' must not be empty";
        }
        if (envelope.Messages is not { Count: > 0 })
        {
            return "'messages' must be a non-empty array";
        }
        if (envelope.Messages.Any(message => message.ValueKind != JsonValueKind.Object))
        {
            return "every entry in 'messages' must be an object";
        }
        foreach (var (value, name) in new[] { (envelope.MaxTokens, "max_tokens"), (envelope.MaxCompletionTokens, "max_completion_tokens") })
        {
            if (value is { ValueKind: not JsonValueKind.Null } given
                && !(given.ValueKind == JsonValueKind.Number && given.TryGetInt32(out var tokens) && tokens is > 0 and <= ChatCompletionEnvelope.MaxTokensLimit))
            {
                return $"'{name}' must be an integer from 1 to {ChatCompletionEnvelope.MaxTokensLimit}";
            }
        }
        if (WebSearch.WebPlugin.TryParse(envelope.Plugins, out var web) is { } pluginProblem)
        {
            return pluginProblem;
        }
        envelope.WebPlugin = web;
        return envelope.Provider?.Validate();
    }
}
