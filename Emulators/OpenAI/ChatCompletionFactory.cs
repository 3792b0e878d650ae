using System.Text.Json;
using Emulators.Common;

namespace Emulators.OpenAI;

/// <summary>
/// What the emulated model does with one request, decided before anything is written: hidden reasoning
/// tokens first, then either a call to a tool or the echo reply, within the completion token limit.
/// </summary>
public sealed record ChatCompletionPlan(EchoReply Reply, PlannedToolCall? ToolCall, int ReasoningTokens)
{
    /// <summary>Visible completion tokens: the reply's, or the tool call's when there is one.</summary>
    public int OutputTokens => ToolCall?.TokenCount ?? Reply.TokenCount;
}

/// <summary>
/// A call the emulated model makes. It costs one token for the function name plus one per
/// whitespace-separated word of the arguments JSON, which is also how it is streamed.
/// </summary>
public sealed record PlannedToolCall(string Name, string Arguments)
{
    public IReadOnlyList<string> ArgumentTokens { get; } = TokenCounter.Split(Arguments);

    public int TokenCount => 1 + ArgumentTokens.Count;
}

/// <summary>
/// Builds the emulator's answer to a validated request, as one response or as stream chunks. Pure: the same
/// request and stamp always give the same result, and no HTTP is involved.
/// </summary>
public static class ChatCompletionFactory
{
    /// <summary>
    /// The rules: reasoning (when reasoning_effort or reasoning is sent) spends its budget first, counted in the
    /// completion limit; a tool is called when tools are given and tool_choice forces one, or is auto (the
    /// default) and the conversation ends with a user message, not a tool result, so agent loops finish; a tool
    /// call that does not fit in the remaining limit becomes a (cut) text reply instead.
    /// </summary>
    public static ChatCompletionPlan Plan(ChatCompletionRequest request)
    {
        var lastUserMessage = Messages(request).LastOrDefault(message => message.Role == "user")?.Content;
        var limit = request.CompletionTokenLimit;

        var reasoningTokens = Math.Min(ReasoningBudget(request), limit ?? int.MaxValue);
        var outputLimit = limit - reasoningTokens;

        var toolCall = PlanToolCall(request, lastUserMessage);
        if (toolCall is not null && toolCall.TokenCount > (outputLimit ?? int.MaxValue))
        {
            toolCall = null;
        }

        var reply = EchoReply.For(lastUserMessage, outputLimit, StopSequences(request.Stop));
        return new ChatCompletionPlan(reply, toolCall, reasoningTokens);
    }

    /// <summary>
    /// Reasoning tokens by <see cref="ReasoningTrace.BudgetFor"/>: OpenRouter's reasoning.max_tokens exactly,
    /// else its effort or OpenAI's reasoning_effort; reasoning without either is medium, enabled:false none.
    /// </summary>
    public static int ReasoningBudget(ChatCompletionRequest request) => request switch
    {
        { Reasoning.Enabled: false } => 0,
        { Reasoning.MaxTokens: { } maxTokens } => Math.Max(0, maxTokens),
        { Reasoning.Effort: { } effort } => ReasoningTrace.BudgetFor(effort),
        { Reasoning: not null } => ReasoningTrace.BudgetFor("medium"),
        { ReasoningEffort: { } effort } => ReasoningTrace.BudgetFor(effort),
        _ => 0,
    };

    /// <summary>
    /// Prompt tokens count the words of every message's content (see <see cref="TokenCounter"/>); cached tokens
    /// follow <see cref="PromptCaching"/>; completion tokens are the visible output plus reasoning.
    /// </summary>
    public static ChatCompletionUsage CountUsage(ChatCompletionRequest request, ChatCompletionPlan plan)
    {
        var promptTokens = Messages(request).Sum(message => TokenCounter.Count(message.Content));
        return new ChatCompletionUsage
        {
            PromptTokens = promptTokens,
            CompletionTokens = plan.OutputTokens + plan.ReasoningTokens,
            PromptTokensDetails = new PromptTokensDetails { CachedTokens = PromptCaching.CachedTokens(promptTokens) },
            CompletionTokensDetails = new CompletionTokensDetails { ReasoningTokens = plan.ReasoningTokens },
        };
    }

    public static ChatCompletionResponse CreateResponse(ChatCompletionRequest request, CompletionStamp stamp)
    {
        var plan = Plan(request);
        var message = plan.ToolCall is { } call
            ? new AssistantMessage
            {
                Content = null,
                ToolCalls = [new ToolCall { Id = stamp.ToolCallId, Function = new FunctionCall { Name = call.Name, Arguments = call.Arguments } }],
            }
            : new AssistantMessage { Content = plan.Reply.Text };

        return new ChatCompletionResponse
        {
            Id = stamp.Id,
            Created = stamp.Created,
            Model = request.Model!,
            Choices = [new ChatCompletionChoice { Index = 0, Message = message, FinishReason = FinishReason(plan) }],
            Usage = CountUsage(request, plan),
            SystemFingerprint = stamp.SystemFingerprint,
        };
    }

    /// <summary>
    /// The chunks OpenAI streams: the role (with empty content, or with the tool call's id and name), one chunk
    /// per token or argument piece, an empty delta with the finish reason and, when
    /// stream_options.include_usage is set, a usage chunk with no choices.
    /// </summary>
    public static IEnumerable<ChatCompletionChunk> CreateChunks(ChatCompletionRequest request, CompletionStamp stamp)
    {
        var plan = Plan(request);

        if (plan.ToolCall is { } call)
        {
            yield return ChoiceChunk(request, stamp, new ChatCompletionDelta
            {
                Role = "assistant",
                ToolCalls = [new ToolCallDelta { Index = 0, Id = stamp.ToolCallId, Type = "function", Function = new FunctionCallDelta { Name = call.Name, Arguments = "" } }],
            });
            foreach (var piece in call.ArgumentTokens)
            {
                yield return ChoiceChunk(request, stamp, new ChatCompletionDelta
                {
                    ToolCalls = [new ToolCallDelta { Index = 0, Function = new FunctionCallDelta { Arguments = piece } }],
                });
            }
        }
        else
        {
            yield return ChoiceChunk(request, stamp, new ChatCompletionDelta { Role = "assistant", Content = "" });
            foreach (var token in plan.Reply.Tokens)
            {
                yield return ChoiceChunk(request, stamp, new ChatCompletionDelta { Content = token });
            }
        }

        yield return ChoiceChunk(request, stamp, new ChatCompletionDelta(), FinishReason(plan));

        if (request.StreamOptions?.IncludeUsage == true)
        {
            yield return Chunk(request, stamp, choices: [], CountUsage(request, plan));
        }
    }

    /// <summary>The stop sequences of OpenAI's <c>stop</c>, a string or an array of strings.</summary>
    public static IReadOnlyList<string> StopSequences(JsonElement? stop) => stop switch
    {
        { ValueKind: JsonValueKind.String } single => [single.GetString()!],
        { ValueKind: JsonValueKind.Array } many => [.. many.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)],
        _ => [],
    };

    /// <summary>The function tools with a name; OpenAI's other tool types are ignored.</summary>
    public static IReadOnlyList<FunctionDefinition> FunctionTools(ChatCompletionRequest request) =>
        [.. (request.Tools ?? []).Where(tool => tool?.Type == "function" && !string.IsNullOrWhiteSpace(tool.Function?.Name)).Select(tool => tool.Function!)];

    /// <summary>The function tool_choice names, or null when it names none.</summary>
    public static string? ForcedFunctionName(JsonElement? toolChoice) =>
        toolChoice is { ValueKind: JsonValueKind.Object } choice
        && choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
        && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    private static PlannedToolCall? PlanToolCall(ChatCompletionRequest request, string? lastUserMessage)
    {
        var tools = FunctionTools(request);
        if (tools.Count == 0)
        {
            return null;
        }

        FunctionDefinition? tool;
        if (ForcedFunctionName(request.ToolChoice) is { } name)
        {
            tool = tools.FirstOrDefault(candidate => candidate.Name == name);
        }
        else
        {
            var mode = request.ToolChoice is { ValueKind: JsonValueKind.String } choice ? choice.GetString() : "auto";
            var answersUser = Messages(request).LastOrDefault()?.Role == "user";
            tool = mode == "required" || (mode == "auto" && answersUser) ? tools[0] : null;
        }

        return tool is null ? null : new PlannedToolCall(tool.Name!, ToolArguments.For(tool.Parameters, lastUserMessage));
    }

    private static string FinishReason(ChatCompletionPlan plan) =>
        plan.ToolCall is not null ? "tool_calls" : plan.Reply.IsTruncated ? "length" : "stop";

    // Validation guarantees messages are present; the fallback only keeps these helpers total.
    private static IEnumerable<ChatMessage> Messages(ChatCompletionRequest request) => request.Messages ?? [];

    private static ChatCompletionChunk ChoiceChunk(
        ChatCompletionRequest request, CompletionStamp stamp, ChatCompletionDelta delta, string? finishReason = null) =>
        Chunk(request, stamp, [new ChatCompletionChunkChoice { Index = 0, Delta = delta, FinishReason = finishReason }]);

    private static ChatCompletionChunk Chunk(
        ChatCompletionRequest request,
        CompletionStamp stamp,
        IReadOnlyList<ChatCompletionChunkChoice> choices,
        ChatCompletionUsage? usage = null) => new()
        {
            Id = stamp.Id,
            Created = stamp.Created,
            Model = request.Model!,
            SystemFingerprint = stamp.SystemFingerprint,
            Choices = choices,
            Usage = usage,
        };
}
