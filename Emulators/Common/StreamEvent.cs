namespace Emulators.Common;

/// <summary>
/// One event of a streamed reply, already serialized: its data, its SSE event type (Anthropic names every event,
/// OpenAI and Gemini send none) and whether it carries a generated token, which paces it and counts towards
/// <see cref="EmulatedFault.AfterTokens"/>.
/// </summary>
public readonly record struct StreamEvent(string Data, string? EventType = null, bool CarriesToken = false);

/// <summary>The pieces of one wire format the shared fault machinery needs.</summary>
public interface IWireFormat
{
    /// <summary>The provider's HTTP error response for an injected failure with this status.</summary>
    IResult ErrorResult(int statusCode);

    /// <summary>The provider's in-stream error for a failure after the stream has started.</summary>
    StreamEvent StreamError(int statusCode);
}
