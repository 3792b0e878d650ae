using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.Anthropic;

/// <summary>Source-generated JSON for the Anthropic wire format, whose field names are snake_case.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.General,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(List<ContentBlock>))]
[JsonSerializable(typeof(MessagesResponse))]
[JsonSerializable(typeof(TokenCountResponse))]
[JsonSerializable(typeof(MessageStartEvent))]
[JsonSerializable(typeof(ContentBlockStartEvent))]
[JsonSerializable(typeof(PingEvent))]
[JsonSerializable(typeof(ContentBlockDeltaEvent))]
[JsonSerializable(typeof(ContentBlockStopEvent))]
[JsonSerializable(typeof(MessageDeltaEvent))]
[JsonSerializable(typeof(MessageStopEvent))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
public sealed partial class AnthropicJsonContext : JsonSerializerContext;
