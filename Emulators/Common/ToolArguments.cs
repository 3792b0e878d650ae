using System.Text.Encodings.Web;
using System.Text.Json;

namespace Emulators.Common;

/// <summary>
/// The arguments an emulated model passes to a tool: one value for each required property of the tool's JSON
/// schema, in the order the schema lists them. Strings get the user's message (or the first enum value),
/// numbers 1, booleans true, arrays [] and objects {}. A schema without required properties gets <c>{}</c>.
/// Type names are compared without case, because Gemini writes them in capitals (STRING, OBJECT).
/// </summary>
public static class ToolArguments
{
    private const string FallbackText = "echo";

    // Keeps the user's text readable (no \u escapes for non-ASCII); the JSON never lands in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <returns>Compact JSON text of an object.</returns>
    public static string For(JsonElement? schema, string? userMessage)
    {
        var text = string.IsNullOrWhiteSpace(userMessage) ? FallbackText : userMessage.Trim();

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (schema is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
            {
                root.TryGetProperty("properties", out var properties);
                foreach (var name in required.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).Distinct())
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var property) ? property : default, text);
                }
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement property, string text)
    {
        if (property.ValueKind == JsonValueKind.Object
            && property.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }

        var type = property.ValueKind == JsonValueKind.Object && property.TryGetProperty("type", out var typeElement)
            && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()!.ToLowerInvariant() : "string";
        switch (type)
        {
            case "integer" or "number":
                writer.WriteNumberValue(1);
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "array":
                writer.WriteStartArray();
                writer.WriteEndArray();
                break;
            case "object":
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(text);
                break;
        }
    }
}
