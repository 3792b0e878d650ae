using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Api.Routing;

namespace Gateway.Api.Inference;

/// <summary>
/// The top-level fields the gateway itself reads from a chat completion request (parsed once, source-generated);
/// the raw body is kept and relayed, with only the OpenRouter-only fields taken out.
/// The sampling and tool fields are read only to know whether the request uses them (<c>require_parameters</c>).
/// </summary>
public sealed class ChatCompletionEnvelope
{
    public string? Model { get; init; }
    public IReadOnlyList<string>? Models { get; init; }
    public ProviderPreferences? Provider { get; init; }
    public IReadOnlyList<JsonElement>? Messages { get; init; }
    public bool? Stream { get; init; }

    /// <summary>OpenRouter's plugins (<c>[{"id": "web", ...}]</c>), read by <see cref="WebSearch.WebPlugin"/>.</summary>
    public JsonElement? Plugins { get; init; }

    /// <summary>The web plugin's settings when the request names it; set by the validator.</summary>
    [JsonIgnore]
    public WebSearch.WebPluginRequest? WebPlugin { get; set; }

    public JsonElement? Tools { get; init; }
    public JsonElement? ToolChoice { get; init; }
    public JsonElement? ResponseFormat { get; init; }
    public JsonElement? Temperature { get; init; }
    public JsonElement? TopP { get; init; }
    public JsonElement? TopK { get; init; }
    public JsonElement? Stop { get; init; }
    public JsonElement? Seed { get; init; }
    public JsonElement? MaxTokens { get; init; }
    public JsonElement? MaxCompletionTokens { get; init; }
    public JsonElement? FrequencyPenalty { get; init; }
    public JsonElement? PresencePenalty { get; init; }
    public JsonElement? LogitBias { get; init; }
    public JsonElement? Logprobs { get; init; }
    public JsonElement? Reasoning { get; init; }

    /// <summary>No model answers more tokens than this; larger requests are refused rather than held for.</summary>
    public const int MaxTokensLimit = 10_000_000;

    /// <summary>The caller's completion-token limit (<c>max_completion_tokens</c> wins over <c>max_tokens</c>), if any; validated first.</summary>
    public int? RequestedMaxTokens()
        => MaxCompletionTokens is { ValueKind: JsonValueKind.Number } completion ? completion.GetInt32()
            : MaxTokens is { ValueKind: JsonValueKind.Number } max ? max.GetInt32() : null;

    /// <summary>The well-known parameters present (and not null) in the body, named as in <c>supported_parameters</c>.</summary>
    public IReadOnlyCollection<string> UsedParameters()
    {
        var used = new List<string>();
        Add(Tools, "tools");
        Add(ToolChoice, "tool_choice");
        Add(ResponseFormat, "response_format");
        Add(Temperature, "temperature");
        Add(TopP, "top_p");
        Add(TopK, "top_k");
        Add(Stop, "stop");
        Add(Seed, "seed");
        Add(MaxTokens ?? MaxCompletionTokens, "max_tokens");
        Add(FrequencyPenalty, "frequency_penalty");
        Add(PresencePenalty, "presence_penalty");
        Add(LogitBias, "logit_bias");
        Add(Logprobs, "logprobs");
        Add(Reasoning, "reasoning");
        return used;

        void Add(JsonElement? value, string name)
        {
            if (value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined })
            {
                used.Add(name);
            }
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatCompletionEnvelope))]
internal sealed partial class InferenceJsonContext : JsonSerializerContext;
