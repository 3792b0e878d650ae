using Emulators.Common;

namespace Emulators.OpenAI;

/// <summary>The identity fields shared by a completion and all of its chunks.</summary>
public sealed record CompletionStamp(string Id, long Created, string SystemFingerprint)
{
    /// <summary>Fixed because the emulator's "backend configuration" never changes.</summary>
    public const string EmulatorFingerprint = "fp_emulator";

    /// <summary>The id of the tool call a completion makes, if it makes one (<c>call_</c> and 24 letters and digits).</summary>
    public string ToolCallId { get; init; } = "call_" + Id[(Id.IndexOf('-') + 1)..];

    /// <summary>A fresh stamp with an id shaped like OpenAI's (<c>chatcmpl-</c> and 29 random letters and digits).</summary>
    public static CompletionStamp Create(TimeProvider timeProvider) => new(
        RandomIds.Create("chatcmpl-", 29),
        timeProvider.GetUtcNow().ToUnixTimeSeconds(),
        EmulatorFingerprint)
    {
        ToolCallId = RandomIds.Create("call_", 24),
    };
}
