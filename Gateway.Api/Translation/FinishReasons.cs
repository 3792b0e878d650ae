namespace Gateway.Api.Translation;

/// <summary>
/// OpenRouter's normalised finish reasons (stop, length, tool_calls, content_filter, error) from any provider's
/// native value; responses also keep the native one in <c>native_finish_reason</c>.
/// </summary>
public static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string ToolCalls = "tool_calls";
    public const string ContentFilter = "content_filter";
    public const string Error = "error";

    /// <summary>
    /// Maps OpenAI (passes through), Anthropic stop_reason and Gemini finishReason values, plus the spellings
    /// common among OpenAI-compatible hosts. An unknown value is kept as it came (lowercased): guessing a
    /// meaning would hide it. Null stays null (the stream has not finished).
    /// </summary>
    public static string? Normalize(string? native) => native switch
    {
        null => null,
        "" => null,
        _ => native.Trim().ToLowerInvariant() switch
        {
            "stop" or "end_turn" or "stop_sequence" or "eos" or "eos_token" or "finish_reason_unspecified" or "pause_turn" => Stop,
            "length" or "max_tokens" or "model_length" or "model_context_window_exceeded" => Length,
            "tool_calls" or "function_call" or "tool_use" => ToolCalls,
            "content_filter" or "refusal" or "safety" or "recitation" or "blocklist" or "prohibited_content" or "spii"
                or "image_safety" or "language" => ContentFilter,
            "error" or "malformed_function_call" or "unexpected_tool_call" or "abort" or "aborted" or "cancelled" => Error,
            var other => other,
        },
    };

    /// <summary>Anthropic's stop_reason for a normalised finish reason (the /v1/messages surface).</summary>
    public static string ToAnthropic(string? finishReason, string? nativeFinishReason = null) => (finishReason, nativeFinishReason) switch
    {
        // A native Anthropic value that agrees with the normalised one is the most precise answer.
        (_, "end_turn" or "stop_sequence" or "max_tokens" or "tool_use" or "refusal" or "pause_turn") when Normalize(nativeFinishReason) == Normalize(finishReason) => nativeFinishReason!,
        (Length, _) => "max_tokens",
        (ToolCalls or "function_call", _) => "tool_use",
        (ContentFilter, _) => "refusal",
        _ => "end_turn",
    };
}
