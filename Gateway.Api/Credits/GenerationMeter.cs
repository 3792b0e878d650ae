using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.Routing;
using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;

namespace Gateway.Api.Credits;

/// <summary>
/// Watches one endpoint's answer (a whole completion or each stream chunk) for what billing needs: the
/// usage block (to which it adds the <c>cost</c> in USD, as OpenRouter does), the finish reason, the
/// upstream id and when the first token came. With the caller's own key (BYOK) the provider bills them, and
/// the charge here is the platform fee: <paramref name="byokFeePricing"/>, the fee's share of each price.
/// When no usage arrives (the caller left, the stream broke, the provider sends none) the tokens are counted
/// with <see cref="TokenCounter"/>: the prompt's text, and the text that was relayed (content, reasoning, tool
/// calls), so delivered output is still charged. While usage does arrive, no tokenizer runs.
/// </summary>
public sealed class GenerationMeter(SnapshotPricing pricing, PromptTokens prompt, TimeProvider clock, SnapshotPricing? byokFeePricing = null)
{
    // The relayed text, kept (not tokenized) until it is known that no usage came. StringBuilder appends
    // chunk by chunk without copying what it holds; each kind apart so no token spans two of them.
    private StringBuilder? _content;
    private StringBuilder? _reasoning;
    private StringBuilder? _toolCalls;
    private TokenUsage? _counted;

    public static GenerationMeter For(RouteCandidate candidate, PromptTokens prompt, TimeProvider clock, long surchargeNanos = 0)
        => new(candidate.Endpoint.Pricing, prompt, clock, candidate.Byok is null ? null : candidate.ChargedPricing) { SurchargeNanos = surchargeNanos };

    /// <summary>Charged on top of the tokens, with the caller's own key too (the web search's fee: not the provider's cost).</summary>
    public long SurchargeNanos { get; init; }

    public bool IsByok => byokFeePricing is not null;

    public TokenUsage? ReportedUsage { get; private set; }
    public int OutputChunks { get; private set; }
    public string? FinishReason { get; private set; }
    public string? UpstreamId { get; private set; }
    public DateTimeOffset? FirstTokenAt { get; private set; }

    /// <summary>What was used: as reported, or counted with the tokenizer from the prompt and what was relayed.</summary>
    public TokenUsage Usage => ReportedUsage ?? (_counted ??= new TokenUsage(prompt.Count, CountRelayed()));

    /// <summary>What the provider's price comes to.</summary>
    public long UpstreamCostNanos => UsageCost.Compute(pricing, Usage);

    /// <summary>What the caller is charged: the provider's price, or with their own key the platform fee.</summary>
    public long CostNanos => (byokFeePricing is null ? UpstreamCostNanos : UsageCost.Compute(byokFeePricing, Usage)) + SurchargeNanos;

    /// <summary>Reads a completion or chunk (before it is stamped with the gateway's id) and adds the cost to its usage.</summary>
    public void Observe(JsonObject body)
    {
        if (UpstreamId is null && body["id"] is JsonValue id && id.TryGetValue<string>(out var upstreamId))
        {
            UpstreamId = upstreamId;
        }
        if (body["choices"] is JsonArray choices)
        {
            foreach (var choice in choices.OfType<JsonObject>())
            {
                ObserveChoice(choice);
            }
        }
        // Embeddings report only prompt tokens.
        if (body["usage"] is JsonObject usage && usage["prompt_tokens"] is JsonValue)
        {
            var reported = TokenUsage.FromChat(usage);
            ReportedUsage = reported;
            var upstreamCost = UsageCost.Compute(pricing, reported);
            var tokenCost = byokFeePricing is null ? upstreamCost : UsageCost.Compute(byokFeePricing, reported);
            usage["cost"] = Nanos.ToUsd(tokenCost + SurchargeNanos);
            usage["is_byok"] = IsByok;
            usage["cost_details"] = new JsonObject { ["upstream_inference_cost"] = Nanos.ToUsd(upstreamCost) };
        }
    }

    /// <summary>
    /// What the byte-level relay (<see cref="Streaming.PlainChunkRestamp"/>) read from a chunk that carries only
    /// text: its upstream id, and per choice the content and reasoning deltas, as <see cref="Observe"/> would.
    /// </summary>
    public void ObserveUpstreamId(string upstreamId) => UpstreamId ??= upstreamId;

    /// <inheritdoc cref="ObserveUpstreamId"/>
    public void ObserveDelta(string? content, string? reasoning)
        => OnOutput(Keep(ref _content, content) | Keep(ref _reasoning, reasoning));

    private void ObserveChoice(JsonObject choice)
    {
        var output = choice["delta"] as JsonObject ?? choice["message"] as JsonObject;
        if (output is not null)
        {
            var content = Keep(ref _content, JsonRead.String(output["content"]));
            var reasoning = Keep(ref _reasoning, JsonRead.String(output["reasoning"]));
            var toolCalls = KeepToolCalls(output["tool_calls"]);
            OnOutput(content || reasoning || toolCalls);
        }
        if (choice["finish_reason"] is JsonValue finish && finish.TryGetValue<string>(out var reason))
        {
            FinishReason = reason;
        }
    }

    private void OnOutput(bool carriedOutput)
    {
        if (carriedOutput)
        {
            OutputChunks++;
            FirstTokenAt ??= clock.GetUtcNow();
            _counted = null;
        }
    }

    private static bool Keep(ref StringBuilder? relayed, string? text)
    {
        if (text is not { Length: > 0 })
        {
            return false;
        }
        (relayed ??= new StringBuilder()).Append(text);
        return true;
    }

    private bool KeepToolCalls(JsonNode? node)
    {
        if (node is not JsonArray calls)
        {
            return false;
        }
        foreach (var call in calls.OfType<JsonObject>())
        {
            if (call["function"] is JsonObject function)
            {
                Keep(ref _toolCalls, JsonRead.String(function["name"]));
                Keep(ref _toolCalls, JsonRead.String(function["arguments"]));
            }
        }
        return true;
    }

    private int CountRelayed()
    {
        var counter = TokenCounter.Shared;
        return counter.Count(_content?.ToString()) + counter.Count(_reasoning?.ToString()) + counter.Count(_toolCalls?.ToString());
    }
}
