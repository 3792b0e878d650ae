using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Credits;
using Gateway.Api.Translation;

namespace Gateway.Api.Inference;

/// <summary>What the gateway stamps on every response: its generation id, the OpenRouter model id and the provider's name.</summary>
public sealed record ResponseStamp(string GenerationId, string Model, string Provider);

/// <summary>
/// Shapes requests for upstreams and answers for callers: the OpenRouter-only request fields come out; every
/// completion and chunk (already in OpenAI's format, whatever the provider spoke) gets the gateway's
/// generation id, the OpenRouter model id and the provider, normalised finish reasons, and the cost in its usage.
/// </summary>
public static class ResponseRewriter
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary><c>gen-&lt;unix seconds&gt;-&lt;20 random letters and digits&gt;</c>, as OpenRouter's ids look.</summary>
    public static string NewGenerationId(DateTimeOffset now)
        => $"gen-{now.ToUnixTimeSeconds()}-{new string(RandomNumberGenerator.GetItems<char>(Alphabet, 20))}";

    /// <summary>The fields OpenRouter adds to the OpenAI request that an upstream must not see.</summary>
    public static readonly string[] OpenRouterOnlyRequestFields = ["models", "provider", "transforms", "route", "usage", "plugins"];

    /// <summary>Duplicate property names are refused: which one a provider would read is anyone's guess.</summary>
    public static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>The request as a mutable JSON object without OpenRouter's own fields.</summary>
    /// <exception cref="JsonException">Not a JSON object, or a property given twice.</exception>
    public static JsonObject UpstreamRequest(ReadOnlySpan<byte> requestBody)
    {
        var request = JsonNode.Parse(requestBody, documentOptions: StrictJson) as JsonObject
            ?? throw new JsonException("The request body must be a JSON object");
        foreach (var field in OpenRouterOnlyRequestFields)
        {
            request.Remove(field);
        }
        return request;
    }

    /// <summary>
    /// The request for one endpoint: the <c>max_tokens</c> the credit hold pays for when the caller set none
    /// and reasoning for <c>:thinking</c> (on a copy: the next endpoint may differ), and usage always asked for
    /// in streams (billing needs it, and OpenRouter always sends it).
    /// </summary>
    public static JsonObject ForEndpoint(JsonObject request, int? loweredMaxTokens, bool thinking = false)
    {
        var enableReasoning = thinking && request["reasoning"] is null;
        if (loweredMaxTokens is not null || enableReasoning)
        {
            request = (JsonObject)request.DeepClone();
        }
        if (loweredMaxTokens is { } maxTokens)
        {
            request["max_tokens"] = maxTokens;
        }
        if (enableReasoning)
        {
            // The :thinking variant: reasoning on, at the provider's default effort.
            request["reasoning"] = new JsonObject { ["enabled"] = true };
        }
        if (request["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streaming) && streaming)
        {
            var options = request["stream_options"] as JsonObject ?? new JsonObject();
            options["include_usage"] = true;
            request["stream_options"] = options;
        }
        return request;
    }

    /// <summary>
    /// Readies a completion or chunk for the caller: finish reasons normalised (the provider's own kept in
    /// <c>native_finish_reason</c>), usage and cost metered, and the gateway's stamp applied.
    /// </summary>
    public static void Finish(JsonObject body, ResponseStamp stamp, GenerationMeter meter)
    {
        NormalizeFinishReasons(body);
        meter.Observe(body);
        body["id"] = stamp.GenerationId;
        body["model"] = stamp.Model;
        body["provider"] = stamp.Provider;
    }

    public static void NormalizeFinishReasons(JsonObject body)
    {
        if (body["choices"] is not JsonArray choices)
        {
            return;
        }
        foreach (var choice in choices.OfType<JsonObject>())
        {
            if (choice["finish_reason"] is JsonValue value && value.TryGetValue<string>(out var native))
            {
                choice["finish_reason"] = FinishReasons.Normalize(native);
                if (choice["native_finish_reason"] is null)
                {
                    choice["native_finish_reason"] = native;
                }
            }
        }
    }

    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
