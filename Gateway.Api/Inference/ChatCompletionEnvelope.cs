using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Api.Inference;

/// <summary>
/// The few top-level fields the gateway itself reads from a chat completion request; everything else is
/// relayed untouched to the upstream.
/// </summary>
public sealed record ChatCompletionEnvelope(string? Model, IReadOnlyList<JsonElement>? Messages, bool? Stream);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatCompletionEnvelope))]
internal sealed partial class InferenceJsonContext : JsonSerializerContext;
