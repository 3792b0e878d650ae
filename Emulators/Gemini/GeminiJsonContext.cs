using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.Gemini;

/// <summary>Source-generated JSON for the Gemini wire format: camelCase names, unset fields left out.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerateContentRequest))]
[JsonSerializable(typeof(GenerateContentResponse))]
[JsonSerializable(typeof(CountTokensResponse))]
[JsonSerializable(typeof(GeminiErrorResponse))]
public sealed partial class GeminiJsonContext : JsonSerializerContext;
