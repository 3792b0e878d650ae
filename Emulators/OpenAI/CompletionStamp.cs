using System.Security.Cryptography;

namespace Emulators.OpenAI;

/// <summary>The identity fields shared by a completion and all of its chunks.</summary>
public sealed record CompletionStamp(string Id, long Created, string SystemFingerprint)
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Fixed because the emulator's "backend configuration" never changes.</summary>
    public const string EmulatorFingerprint = "fp_emulator";

    /// <summary>A fresh stamp with an id shaped like OpenAI's (<c>chatcmpl-</c> and 29 random letters and digits).</summary>
    public static CompletionStamp Create(TimeProvider timeProvider) => new(
        "chatcmpl-" + RandomNumberGenerator.GetString(IdAlphabet, 29),
        timeProvider.GetUtcNow().ToUnixTimeSeconds(),
        EmulatorFingerprint);
}
