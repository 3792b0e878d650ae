using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.OpenAI;

/// <summary>Source-generated JSON for the OpenAI wire format, whose field names are snake_case.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.General,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(EmbeddingResponse))]
[JsonSerializable(typeof(OpenAIErrorResponse))]
[JsonSerializable(typeof(ModelList))]
public sealed partial class OpenAIJsonContext : JsonSerializerContext;
