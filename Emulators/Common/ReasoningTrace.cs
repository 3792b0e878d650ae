namespace Emulators.Common;

/// <summary>
/// What an emulated model "thinks" before it answers: a fixed sentence about the user's message, repeated until
/// it fills the reasoning budget. The budget is the whole rule, so reasoning token counts are predictable:
/// a trace always has exactly as many tokens as it was allowed.
/// </summary>
public sealed class ReasoningTrace
{
    private ReasoningTrace(IReadOnlyList<string> tokens) => Tokens = tokens;

    public static ReasoningTrace None { get; } = new([]);

    public IReadOnlyList<string> Tokens { get; }

    public string Text => string.Concat(Tokens);

    public int TokenCount => Tokens.Count;

    /// <summary>Reasoning tokens per effort level, shared by OpenAI's reasoning_effort and Gemini's thinkingLevel.</summary>
    public static int BudgetFor(string? effort) => effort?.ToLowerInvariant() switch
    {
        "none" => 0,
        "minimal" => 8,
        "low" => 16,
        "medium" => 32,
        "high" => 64,
        "xhigh" => 128,
        _ => 32,
    };

    public static ReasoningTrace For(string? lastUserMessage, int budgetTokens)
    {
        if (budgetTokens <= 0)
        {
            return None;
        }

        var sentence = TokenCounter.Split(
            $"The user wrote {TokenCounter.Count(lastUserMessage)} words, so I will echo them back.");
        var tokens = new List<string>(budgetTokens);
        for (var index = 0; index < budgetTokens; index++)
        {
            var token = sentence[index % sentence.Count];
            // Each repetition starts a new sentence, separated from the last by a space.
            tokens.Add(index > 0 && index % sentence.Count == 0 ? " " + token : token);
        }
        return new ReasoningTrace(tokens);
    }
}
