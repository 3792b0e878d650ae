using System.Text.Encodings.Web;
using System.Text.Json;
using Emulators.Common;

namespace Emulators.Gemini;

/// <summary>What the emulated Gemini does with one request: thinking first, then a function call or the reply.</summary>
public sealed record GenerateContentPlan(ReasoningTrace Thoughts, bool ShowThoughts, EchoReply Reply, PlannedFunctionCall? FunctionCall)
{
    /// <summary>Candidate tokens exclude thoughts, as Gemini counts them.</summary>
    public int CandidateTokens => FunctionCall?.TokenCount ?? Reply.TokenCount;

    /// <summary>Gemini ends a function call with STOP too; MAX_TOKENS only when the limit cut the reply.</summary>
    public string FinishReason => FunctionCall is null && Reply.IsTruncated ? "MAX_TOKENS" : "STOP";
}

/// <summary>A function call: one token for the name plus one per whitespace-separated word of the args JSON.</summary>
public sealed record PlannedFunctionCall(string Name, string ArgsJson)
{
    public int TokenCount => 1 + TokenCounter.Count(ArgsJson);
}

/// <summary>The random identity of one response.</summary>
public sealed record ResponseStamp(string ResponseId)
{
    public static ResponseStamp Create() => new(RandomIds.Create("", 23));
}

/// <summary>
/// Builds the emulator's answer to a validated generateContent request, whole or as stream chunks.
/// Pure: the same model, request and stamp always give the same result.
/// </summary>
public static class GenerateContentFactory
{
    public const int ThinkingBudgetDivisor = 16;

    /// <summary>
    /// The reply echoes the last user turn (its text and function responses). With responseMimeType
    /// application/json it is a JSON object instead: built from responseSchema like tool arguments, or
    /// <c>{"text":"Echo: ..."}</c> without a schema. A function is called when mode ANY forces one (the first
    /// allowed), or when mode is AUTO (the default) and the last turn is the user's own words rather than
    /// function responses. Thinking happens only when thinkingConfig asks for it: a sixteenth of a positive
    /// thinkingBudget, 32 tokens for -1 (dynamic), or by thinkingLevel; it counts in maxOutputTokens.
    /// </summary>
    public static GenerateContentPlan Plan(GenerateContentRequest request)
    {
        var contents = request.Contents ?? [];
        var lastUser = contents.LastOrDefault(content => content.Role is null or "user");
        var userText = lastUser is null ? null : string.Join('\n', (lastUser.Parts ?? []).Select(PartText).Where(text => text.Length > 0));
        var config = request.GenerationConfig;

        var thinkingTokens = config?.ThinkingConfig switch
        {
            { ThinkingLevel: { } level } => ReasoningTrace.BudgetFor(level),
            { ThinkingBudget: -1 } => ReasoningTrace.BudgetFor("medium"),
            { ThinkingBudget: > 0 and var budget } => budget / ThinkingBudgetDivisor,
            _ => 0,
        };
        var limit = config?.MaxOutputTokens ?? int.MaxValue;
        var thoughts = ReasoningTrace.For(userText, Math.Min(thinkingTokens, limit));
        var outputLimit = limit - thoughts.TokenCount;

        var last = contents.LastOrDefault();
        var answersUser = last is { Role: null or "user" } && !(last.Parts ?? []).Any(part => part.FunctionResponse is not null);
        var functionCall = PlanFunctionCall(request, userText, answersUser);
        if (functionCall is not null && functionCall.TokenCount > outputLimit)
        {
            functionCall = null;
        }

        var text = string.Equals(config?.ResponseMimeType, "application/json", StringComparison.OrdinalIgnoreCase)
            ? JsonReply(config!.ResponseSchema ?? config.ResponseJsonSchema, userText)
            : EchoReply.Prefix + userText;
        var reply = EchoReply.Generate(text, outputLimit, config?.StopSequences);

        return new GenerateContentPlan(thoughts, config?.ThinkingConfig?.IncludeThoughts == true, reply, functionCall);
    }

    /// <summary>Words of the system instruction and of every part: text, function call args and function responses.</summary>
    public static int CountPromptTokens(GenerateContentRequest request) =>
        (request.SystemInstruction?.Parts ?? []).Sum(part => TokenCounter.Count(PartText(part)))
        + (request.Contents ?? []).SelectMany(content => content.Parts ?? []).Sum(part => TokenCounter.Count(PartText(part)));

    public static UsageMetadata CountUsage(GenerateContentRequest request, GenerateContentPlan plan)
    {
        var promptTokens = CountPromptTokens(request);
        var cached = PromptCaching.CachedTokens(promptTokens);
        return new UsageMetadata
        {
            PromptTokenCount = promptTokens,
            CandidatesTokenCount = plan.CandidateTokens,
            TotalTokenCount = promptTokens + plan.CandidateTokens + plan.Thoughts.TokenCount,
            CachedContentTokenCount = cached > 0 ? cached : null,
            ThoughtsTokenCount = plan.Thoughts.TokenCount > 0 ? plan.Thoughts.TokenCount : null,
            PromptTokensDetails = [new ModalityTokenCount("TEXT", promptTokens)],
        };
    }

    public static GenerateContentResponse CreateResponse(string model, GenerateContentRequest request, ResponseStamp stamp)
    {
        var plan = Plan(request);
        var parts = new List<GeminiPart>();
        if (plan.ShowThoughts && plan.Thoughts.TokenCount > 0)
        {
            parts.Add(new GeminiPart { Text = plan.Thoughts.Text, Thought = true });
        }
        parts.Add(plan.FunctionCall is { } call ? FunctionCallPart(call) : new GeminiPart { Text = plan.Reply.Text });

        return Response(model, stamp, parts, plan.FinishReason, CountUsage(request, plan));
    }

    /// <summary>
    /// The chunks of a stream: one per thought token (when thoughts are shown) and per reply token, or one with
    /// the whole function call, then a closing chunk with an empty text part, the finish reason and the usage.
    /// </summary>
    public static IEnumerable<GenerateContentResponse> CreateChunks(string model, GenerateContentRequest request, ResponseStamp stamp)
    {
        var plan = Plan(request);
        if (plan.ShowThoughts)
        {
            foreach (var token in plan.Thoughts.Tokens)
            {
                yield return Response(model, stamp, [new GeminiPart { Text = token, Thought = true }]);
            }
        }

        if (plan.FunctionCall is { } call)
        {
            yield return Response(model, stamp, [FunctionCallPart(call)]);
        }
        else
        {
            foreach (var token in plan.Reply.Tokens)
            {
                yield return Response(model, stamp, [new GeminiPart { Text = token }]);
            }
        }

        yield return Response(model, stamp, [new GeminiPart { Text = "" }], plan.FinishReason, CountUsage(request, plan));
    }

    /// <summary>Whether a chunk carries generated output (a token, a thought token or a function call).</summary>
    public static bool CarriesToken(GenerateContentResponse chunk) =>
        chunk.Candidates is [{ FinishReason: null, Content.Parts: [var part] }] && (part.Text is { Length: > 0 } || part.FunctionCall is not null);

    public static IReadOnlyList<FunctionDeclaration> FunctionDeclarations(GenerateContentRequest request) =>
        [.. (request.Tools ?? []).SelectMany(tool => tool.FunctionDeclarations ?? [])];

    private static PlannedFunctionCall? PlanFunctionCall(GenerateContentRequest request, string? userText, bool answersUser)
    {
        var declarations = FunctionDeclarations(request);
        if (declarations.Count == 0)
        {
            return null;
        }

        var calling = request.ToolConfig?.FunctionCallingConfig;
        var declaration = calling?.Mode switch
        {
            "NONE" => null,
            "ANY" => calling.AllowedFunctionNames is { Count: > 0 } allowed
                ? declarations.FirstOrDefault(candidate => candidate.Name == allowed[0])
                : declarations[0],
            _ => answersUser ? declarations[0] : null,
        };
        return declaration is null
            ? null
            : new PlannedFunctionCall(declaration.Name!, ToolArguments.For(declaration.Parameters ?? declaration.ParametersJsonSchema, userText));
    }

    private static string JsonReply(JsonElement? schema, string? userText)
    {
        if (schema is { ValueKind: JsonValueKind.Object })
        {
            return ToolArguments.For(schema, userText);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("text", EchoReply.Prefix + userText);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The text a part puts in the prompt: its text, or the JSON of a function call's args or a function response.</summary>
    private static string PartText(GeminiPart part) =>
        part.Text
        ?? part.FunctionCall?.Args?.GetRawText()
        ?? part.FunctionResponse?.Response?.GetRawText()
        ?? "";

    private static GeminiPart FunctionCallPart(PlannedFunctionCall call)
    {
        using var args = JsonDocument.Parse(call.ArgsJson);
        return new GeminiPart { FunctionCall = new GeminiFunctionCall { Name = call.Name, Args = args.RootElement.Clone() } };
    }

    private static GenerateContentResponse Response(
        string model, ResponseStamp stamp, IReadOnlyList<GeminiPart> parts, string? finishReason = null, UsageMetadata? usage = null) => new()
        {
            Candidates = [new Candidate { Content = new GeminiContent { Parts = parts, Role = "model" }, FinishReason = finishReason, Index = 0 }],
            UsageMetadata = usage,
            ModelVersion = model,
            ResponseId = stamp.ResponseId,
        };
}
