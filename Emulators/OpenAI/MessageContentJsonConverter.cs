using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.OpenAI;

/// <summary>
/// Reads a message's content in either OpenAI form, a plain string or an array of content parts
/// (<c>[{"type":"text","text":"..."}, {"type":"image_url",...}]</c>), as text; non-text parts are skipped.
/// </summary>
public sealed class MessageContentJsonConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                using (var parts = JsonDocument.ParseValue(ref reader))
                {
                    var texts = parts.RootElement.EnumerateArray()
                        .Where(part => part.ValueKind == JsonValueKind.Object
                            && part.TryGetProperty("type", out var type) && type.ValueEquals("text")
                            && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                        .Select(part => part.GetProperty("text").GetString());
                    return string.Join('\n', texts);
                }
            default:
                throw new JsonException("Message content must be a string or an array of content parts.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
