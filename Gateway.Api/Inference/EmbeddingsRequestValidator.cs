using System.Text.Json;

namespace Gateway.Api.Inference;

/// <summary>Checks an embeddings request: a model, and <c>input</c> as a string, strings, token ids or arrays of token ids.</summary>
public static class EmbeddingsRequestValidator
{
    /// <summary>OpenAI's own limit on inputs per request.</summary>
    public const int MaxInputs = 2048;

    public static string? TryParse(ReadOnlySpan<byte> body, out ChatCompletionEnvelope? envelope)
    {
        envelope = null;
        JsonElement input;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "The request body must be a JSON object";
            }
            if (!document.RootElement.TryGetProperty("input", out var given))
            {
                return "'input' is required";
            }
            input = given.Clone();
            envelope = JsonSerializer.Deserialize(body, InferenceJsonContext.Default.ChatCompletionEnvelope);
        }
        catch (JsonException ex)
        {
            return $"Invalid JSON body: {ex.Message}";
        }

        if (string.IsNullOrWhiteSpace(envelope?.Model) && envelope?.Models is not { Count: > 0 })
        {
            return "'model' is required";
        }
        if (envelope.Stream == true)
        {
            return "Embeddings cannot be streamed";
        }
        return InputProblem(input) ?? envelope.Provider?.Validate();
    }

    private static string? InputProblem(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return input.GetString()!.Length == 0 ? "'input' must not be empty" : null;
            case JsonValueKind.Array:
                var count = input.GetArrayLength();
                if (count is 0 or > MaxInputs)
                {
                    return $"'input' must hold 1 to {MaxInputs} items";
                }
                var items = input.EnumerateArray().ToList();
                var valid = items.All(item => item.ValueKind == JsonValueKind.String && item.GetString()!.Length > 0)
                    || items.All(IsTokenId)
                    || items.All(item => item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0 && item.EnumerateArray().All(IsTokenId));
                return valid ? null : "'input' must be a string, an array of strings, an array of token ids or an array of token id arrays";
            default:
                return "'input' must be a string or an array";
        }
    }

    private static bool IsTokenId(JsonElement item) => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var id) && id >= 0;
}
