using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>Lenient typed reads from <see cref="JsonNode"/>s: a missing or wrongly typed value reads as null.</summary>
internal static class JsonRead
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }
        // Parsed values and the numbers code sets read directly: writing the value out as text to parse it again
        // cost more than the rest of reading a usage block.
        if (value.TryGetValue<double>(out var number))
        {
            return number;
        }
        if (value.TryGetValue<int>(out var small))
        {
            return small;
        }
        if (value.TryGetValue<long>(out var large))
        {
            return large;
        }
        return value.TryGetValue<decimal>(out var exact)
            ? (double)exact
            : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>A whole number; fractions and values beyond int are null rather than silently cut.</summary>
    public static int? Int(JsonNode? node) =>
        Number(node) is { } number && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue ? (int)number : null;

    public static bool? Bool(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>The value copied so it can be attached to another parent (a node has only one).</summary>
    public static JsonNode? Copy(JsonNode? node) => node?.DeepClone();

    /// <summary>A JSON object given as text (OpenAI tool arguments); blank text is the empty object.</summary>
    public static JsonObject ParseObject(string? json, string field)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new TranslationException($"{field} must be a JSON object");
        }
        catch (JsonException)
        {
            throw new TranslationException($"{field} is not valid JSON");
        }
    }

    /// <summary>Parses an upstream or client payload that must be a JSON object.</summary>
    public static JsonObject ParseEvent(string data, string what)
    {
        try
        {
            return JsonNode.Parse(data) as JsonObject ?? throw new TranslationException($"{what} is not a JSON object");
        }
        catch (JsonException)
        {
            throw new TranslationException($"{what} is not valid JSON");
        }
    }
}
