using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.OpenAI;

/// <summary>The body of an embeddings response, field for field as OpenAI sends it.</summary>
public sealed record EmbeddingResponse
{
    public string Object { get; init; } = "list";

    public required IReadOnlyList<EmbeddingItem> Data { get; init; }

    public required string Model { get; init; }

    public required EmbeddingUsage Usage { get; init; }
}

public sealed record EmbeddingItem
{
    public string Object { get; init; } = "embedding";

    public int Index { get; init; }

    public required EmbeddingVector Embedding { get; init; }
}

public sealed record EmbeddingUsage
{
    public int PromptTokens { get; init; }

    public int TotalTokens => PromptTokens;
}

/// <summary>A vector, written as a JSON array of numbers or, for encoding_format base64, as base64 float32 bytes.</summary>
[JsonConverter(typeof(EmbeddingVectorJsonConverter))]
public sealed record EmbeddingVector(float[] Values, bool AsBase64 = false);

/// <summary>Reads and writes both encodings; base64 is little-endian float32, as OpenAI sends it.</summary>
public sealed class EmbeddingVectorJsonConverter : JsonConverter<EmbeddingVector>
{
    public override EmbeddingVector Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var bytes = reader.GetBytesFromBase64();
            var values = new float[bytes.Length / sizeof(float)];
            for (var index = 0; index < values.Length; index++)
            {
                values[index] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(index * sizeof(float)));
            }
            return new EmbeddingVector(values, AsBase64: true);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("An embedding must be an array of numbers or a base64 string.");
        }
        var list = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.GetSingle());
        }
        return new EmbeddingVector([.. list]);
    }

    public override void Write(Utf8JsonWriter writer, EmbeddingVector value, JsonSerializerOptions options)
    {
        if (value.AsBase64)
        {
            var bytes = new byte[value.Values.Length * sizeof(float)];
            for (var index = 0; index < value.Values.Length; index++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(index * sizeof(float)), value.Values[index]);
            }
            writer.WriteBase64StringValue(bytes);
            return;
        }

        writer.WriteStartArray();
        foreach (var component in value.Values)
        {
            writer.WriteNumberValue(component);
        }
        writer.WriteEndArray();
    }
}
