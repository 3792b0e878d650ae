using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Emulators.OpenAI;

/// <summary>
/// Deterministic embeddings: each input's vector is drawn from a generator seeded with a SHA-256 hash of the
/// model and the input, at the model's full size, then cut to the requested dimensions and scaled to unit
/// length, the way OpenAI shortens text-embedding-3 vectors. The same input always gets the same vector.
/// </summary>
public static class EmbeddingFactory
{
    public const int MaxInputs = 2048;

    /// <summary>The full vector size: 3072 for text-embedding-3-large, else 1536 (small and ada-002).</summary>
    public static int DefaultDimensions(string model) =>
        model.Contains("text-embedding-3-large", StringComparison.OrdinalIgnoreCase) ? 3072 : 1536;

    /// <summary>Only the text-embedding-3 generation can shorten its vectors.</summary>
    public static bool SupportsDimensions(string model) => !model.Contains("ada-002", StringComparison.OrdinalIgnoreCase);

    /// <summary>The inputs of a request, or null when <c>input</c> has none of OpenAI's four shapes.</summary>
    public static IReadOnlyList<EmbeddingInput>? ReadInputs(JsonElement? input)
    {
        switch (input)
        {
            case { ValueKind: JsonValueKind.String } text:
                return [new EmbeddingInput(text.GetString(), null)];
            case { ValueKind: JsonValueKind.Array } array when array.GetArrayLength() > 0:
                var items = array.EnumerateArray().ToList();
                if (items.All(item => item.ValueKind == JsonValueKind.String))
                {
                    return [.. items.Select(item => new EmbeddingInput(item.GetString(), null))];
                }
                if (items.All(IsTokenId))
                {
                    return [new EmbeddingInput(null, [.. items.Select(item => item.GetInt32())])];
                }
                if (items.All(item => item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0 && item.EnumerateArray().All(IsTokenId)))
                {
                    return [.. items.Select(item => new EmbeddingInput(null, [.. item.EnumerateArray().Select(id => id.GetInt32())]))];
                }
                return null;
            default:
                return null;
        }
    }

    public static EmbeddingResponse CreateResponse(EmbeddingRequest request, IReadOnlyList<EmbeddingInput> inputs)
    {
        var model = request.Model!;
        var dimensions = request.Dimensions ?? DefaultDimensions(model);
        var asBase64 = string.Equals(request.EncodingFormat, "base64", StringComparison.OrdinalIgnoreCase);
        return new EmbeddingResponse
        {
            Data = [.. inputs.Select((input, index) => new EmbeddingItem
            {
                Index = index,
                Embedding = new EmbeddingVector(Vector(model, input, dimensions), asBase64),
            })],
            Model = model,
            Usage = new EmbeddingUsage { PromptTokens = inputs.Sum(input => input.TokenCount) },
        };
    }

    public static float[] Vector(string model, EmbeddingInput input, int dimensions)
    {
        var seedText = input.Text ?? string.Join(',', input.TokenIds ?? []);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{model}\n{(input.Text is null ? "tokens" : "text")}\n{seedText}"));
        var state = BitConverter.ToUInt64(hash, 0);

        var full = new double[DefaultDimensions(model)];
        for (var index = 0; index < full.Length; index++)
        {
            // SplitMix64: small, fast and good enough to spread vectors evenly over the sphere.
            state += 0x9E3779B97F4A7C15UL;
            var mixed = state;
            mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9UL;
            mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBUL;
            mixed ^= mixed >> 31;
            full[index] = (mixed >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
        }

        var length = Math.Min(dimensions, full.Length);
        var norm = Math.Sqrt(full.Take(length).Sum(component => component * component));
        var vector = new float[length];
        for (var index = 0; index < length; index++)
        {
            vector[index] = (float)(full[index] / norm);
        }
        return vector;
    }

    private static bool IsTokenId(JsonElement element) => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var id) && id >= 0;
}
