using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Emulators.Common;

namespace Emulators.Anthropic;

/// <summary>What the emulated Claude does with one request: thinking first, then a tool use or the echo reply.</summary>
public sealed record MessagesPlan(ReasoningTrace Thinking, EchoReply Reply, PlannedToolUse? ToolUse)
{
    public int OutputTokens => Thinking.TokenCount + (ToolUse?.TokenCount ?? Reply.TokenCount);

    public string StopReason =>
        ToolUse is not null ? "tool_use"
        : Reply.IsTruncated ? "max_tokens"
        : Reply.StopSequence is not null ? "stop_sequence"
        : "end_turn";
}

/// <summary>A tool use: one token for the name plus one per whitespace-separated word of the input JSON.</summary>
public sealed record PlannedToolUse(string Name, string InputJson)
{
    public IReadOnlyList<string> InputTokens { get; } = TokenCounter.Split(InputJson);

    public int TokenCount => 1 + InputTokens.Count;
}

/// <summary>
/// Builds the emulator's answer to a validated Messages request, as one response or as the event-typed stream.
/// Pure: the same request, stamp and cache usage always give the same result.
/// </summary>
public static class MessagesFactory
{
    /// <summary>Thinking spends a sixteenth of its budget (1024 gives 64 tokens); adaptive thinking spends 32.</summary>
    public const int ThinkingBudgetDivisor = 16;

    /// <summary>
    /// The reply echoes the last user turn: its text blocks and tool results. A tool is used when tool_choice
    /// forces one (any: the first tool, tool: the named one), or when it is auto (the default) and the last turn
    /// is the user's own words rather than tool results, so agent loops finish. Thinking counts in max_tokens;
    /// a tool use that no longer fits becomes a (cut) text reply instead.
    /// </summary>
    public static MessagesPlan Plan(MessagesRequest request)
    {
        var messages = request.Messages ?? [];
        var lastUser = messages.LastOrDefault(message => message.Role == "user");
        var userText = lastUser is null ? null : string.Join('\n', (lastUser.Content ?? []).Select(BlockText).Where(text => text.Length > 0));

        var thinkingTokens = request.Thinking switch
        {
            { Type: "enabled", BudgetTokens: { } budget } => budget / ThinkingBudgetDivisor,
            { Type: "adaptive" } => ReasoningTrace.BudgetFor("medium"),
            _ => 0,
        };
        var limit = request.MaxTokens ?? int.MaxValue;
        var thinking = ReasoningTrace.For(userText, Math.Min(thinkingTokens, limit));
        var outputLimit = limit - thinking.TokenCount;

        var toolUse = PlanToolUse(request, userText, answersUser: messages.LastOrDefault() is { Role: "user" } last && !HasToolResults(last));
        if (toolUse is not null && toolUse.TokenCount > outputLimit)
        {
            toolUse = null;
        }

        return new MessagesPlan(thinking, EchoReply.For(userText, outputLimit, request.StopSequences), toolUse);
    }

    /// <summary>Words of the system prompt and of every message block; images, documents and earlier thinking count 0.</summary>
    public static int CountInputTokens(MessagesRequest request) =>
        (request.System ?? []).Sum(BlockTokens) + (request.Messages ?? []).SelectMany(message => message.Content ?? []).Sum(BlockTokens);

    /// <summary>The cache_control breakpoints in Anthropic's prompt order (tools, system, messages).</summary>
    public static IReadOnlyList<CacheBreakpoint> CacheBreakpoints(MessagesRequest request)
    {
        var breakpoints = new List<CacheBreakpoint>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var tokens = 0;

        void Add(string kind, string content, int blockTokens, JsonElement? cacheControl)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{kind}\u001f{content}\u001e"));
            tokens += blockTokens;
            if (cacheControl is { ValueKind: JsonValueKind.Object } control)
            {
                var ttl = control.TryGetProperty("ttl", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == "1h"
                    ? TimeSpan.FromHours(1)
                    : TimeSpan.FromMinutes(5);
                breakpoints.Add(new CacheBreakpoint(tokens, Convert.ToHexString(hash.GetCurrentHash()), ttl));
            }
        }

        hash.AppendData(Encoding.UTF8.GetBytes(request.Model ?? ""));
        foreach (var tool in request.Tools ?? [])
        {
            Add("tool", $"{tool.Name}\u001f{tool.Description}\u001f{tool.InputSchema?.GetRawText()}", 0, tool.CacheControl);
        }
        foreach (var block in request.System ?? [])
        {
            Add("system", BlockText(block), BlockTokens(block), block.CacheControl);
        }
        foreach (var message in request.Messages ?? [])
        {
            foreach (var block in message.Content ?? [])
            {
                Add(message.Role + ":" + block.Type, BlockText(block), BlockTokens(block), block.CacheControl);
            }
        }
        return breakpoints;
    }

    public static AnthropicUsage CountUsage(MessagesRequest request, MessagesPlan plan, CacheUsage cache) => new()
    {
        InputTokens = CountInputTokens(request) - cache.CreationTokens - cache.ReadTokens,
        CacheCreationInputTokens = cache.CreationTokens,
        CacheReadInputTokens = cache.ReadTokens,
        OutputTokens = plan.OutputTokens,
    };

    public static MessagesResponse CreateResponse(MessagesRequest request, MessageStamp stamp, CacheUsage cache)
    {
        var plan = Plan(request);
        var content = new List<ResponseBlock>();
        if (plan.Thinking.TokenCount > 0)
        {
            content.Add(new ResponseBlock { Type = "thinking", Thinking = plan.Thinking.Text, Signature = stamp.Signature });
        }
        content.Add(plan.ToolUse is { } toolUse
            ? new ResponseBlock { Type = "tool_use", Id = stamp.ToolUseId, Name = toolUse.Name, Input = JsonElementFrom(toolUse.InputJson) }
            : new ResponseBlock { Type = "text", Text = plan.Reply.Text });

        return new MessagesResponse
        {
            Id = stamp.Id,
            Model = request.Model!,
            Content = content,
            StopReason = plan.StopReason,
            StopSequence = plan.ToolUse is null ? plan.Reply.StopSequence : null,
            Usage = CountUsage(request, plan, cache),
        };
    }

    /// <summary>
    /// The stream Anthropic sends: message_start (the message with empty content and the input usage),
    /// then per content block content_block_start, its deltas (thinking_delta and a signature_delta, text_delta,
    /// or input_json_delta) and content_block_stop, a ping after the first block starts, then message_delta
    /// (stop reason and output tokens) and message_stop. Every event names itself in its SSE event line.
    /// </summary>
    public static IReadOnlyList<StreamEvent> CreateEvents(MessagesRequest request, MessageStamp stamp, CacheUsage cache)
    {
        var plan = Plan(request);
        var usage = CountUsage(request, plan, cache);
        var context = AnthropicJsonContext.Default;
        var events = new List<StreamEvent>();

        // message_start reports the input and a first output token, as Anthropic's does; message_delta the total.
        var start = CreateResponse(request, stamp, cache) with { Content = [], StopReason = null, StopSequence = null, Usage = usage with { OutputTokens = 1 } };
        events.Add(Event("message_start", JsonSerializer.Serialize(new MessageStartEvent(start), context.MessageStartEvent)));

        var index = 0;
        void StartBlock(ResponseBlock block, bool carriesToken = false)
        {
            events.Add(Event("content_block_start", JsonSerializer.Serialize(new ContentBlockStartEvent(index, block), context.ContentBlockStartEvent), carriesToken));
            if (index == 0)
            {
                events.Add(Event("ping", JsonSerializer.Serialize(new PingEvent(), context.PingEvent)));
            }
        }
        void Delta(BlockDelta delta, bool carriesToken = true) =>
            events.Add(Event("content_block_delta", JsonSerializer.Serialize(new ContentBlockDeltaEvent(index, delta), context.ContentBlockDeltaEvent), carriesToken));
        void StopBlock() =>
            events.Add(Event("content_block_stop", JsonSerializer.Serialize(new ContentBlockStopEvent(index++), context.ContentBlockStopEvent)));

        if (plan.Thinking.TokenCount > 0)
        {
            StartBlock(new ResponseBlock { Type = "thinking", Thinking = "", Signature = "" });
            foreach (var token in plan.Thinking.Tokens)
            {
                Delta(new BlockDelta { Type = "thinking_delta", Thinking = token });
            }
            Delta(new BlockDelta { Type = "signature_delta", Signature = stamp.Signature }, carriesToken: false);
            StopBlock();
        }

        if (plan.ToolUse is { } toolUse)
        {
            // The block start carries the tool's name, the one token of a tool use that is not input.
            StartBlock(new ResponseBlock { Type = "tool_use", Id = stamp.ToolUseId, Name = toolUse.Name, Input = JsonElementFrom("{}") }, carriesToken: true);
            foreach (var piece in toolUse.InputTokens)
            {
                Delta(new BlockDelta { Type = "input_json_delta", PartialJson = piece });
            }
        }
        else
        {
            StartBlock(new ResponseBlock { Type = "text", Text = "" });
            foreach (var token in plan.Reply.Tokens)
            {
                Delta(new BlockDelta { Type = "text_delta", Text = token });
            }
        }
        StopBlock();

        var stopSequence = plan.ToolUse is null ? plan.Reply.StopSequence : null;
        events.Add(Event("message_delta", JsonSerializer.Serialize(
            new MessageDeltaEvent(new MessageDelta(plan.StopReason, stopSequence), new MessageDeltaUsage(usage.OutputTokens)), context.MessageDeltaEvent)));
        events.Add(Event("message_stop", JsonSerializer.Serialize(new MessageStopEvent(), context.MessageStopEvent)));
        return events;
    }

    private static StreamEvent Event(string type, string data, bool carriesToken = false) => new(data, type, carriesToken);

    private static PlannedToolUse? PlanToolUse(MessagesRequest request, string? userText, bool answersUser)
    {
        var tools = (request.Tools ?? []).Where(tool => !string.IsNullOrWhiteSpace(tool.Name)).ToList();
        var tool = request.ToolChoice switch
        {
            _ when tools.Count == 0 => null,
            { Type: "none" } => null,
            { Type: "tool", Name: var name } => tools.FirstOrDefault(candidate => candidate.Name == name),
            { Type: "any" } => tools[0],
            _ => answersUser ? tools[0] : null,
        };
        return tool is null ? null : new PlannedToolUse(tool.Name!, ToolArguments.For(tool.InputSchema, userText));
    }

    private static bool HasToolResults(AnthropicMessage message) => (message.Content ?? []).Any(block => block.Type == "tool_result");

    /// <summary>The text a block puts in the prompt: text, a tool result's text, or a tool use's input JSON.</summary>
    private static string BlockText(ContentBlock block) => block.Type switch
    {
        "text" => block.Text ?? "",
        "tool_result" => string.Join('\n', (block.Content ?? []).Select(BlockText).Where(text => text.Length > 0)),
        "tool_use" => block.Input?.GetRawText() ?? "",
        _ => "",
    };

    private static int BlockTokens(ContentBlock block) => TokenCounter.Count(BlockText(block));

    private static JsonElement JsonElementFrom(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
