using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.Exa;

/// <summary>Source-generated JSON for Exa's API, whose field names are camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExaSearchRequest))]
[JsonSerializable(typeof(ExaSearchResponse))]
[JsonSerializable(typeof(ExaError))]
public sealed partial class ExaJsonContext : JsonSerializerContext;
