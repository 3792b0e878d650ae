namespace Emulators.Common;

/// <summary>
/// The stateless prompt-cache rule of the OpenAI and Gemini emulators, which cache implicitly: a prompt of at
/// least <see cref="MinimumPromptTokens"/> tokens is reported as if its prefix had been sent before, so the
/// largest multiple of <see cref="Increment"/> tokens that fits in it counts as cached. Shorter prompts are
/// never cached. (Anthropic caches only at explicit cache_control breakpoints, see the Anthropic folder.)
/// </summary>
public static class PromptCaching
{
    public const int MinimumPromptTokens = 1024;

    public const int Increment = 128;

    public static int CachedTokens(int promptTokens) =>
        promptTokens < MinimumPromptTokens ? 0 : promptTokens / Increment * Increment;
}
