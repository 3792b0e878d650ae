using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Credits;

namespace Gateway.Api.Inference;

/// <summary>What the gateway stamps on every response: its generation id, the OpenRouter model id and the provider's name.</summary>
public sealed record ResponseStamp(string GenerationId, string Model, string Provider);

/// <summary>
/// Rewrites upstream OpenAI-format bodies into OpenRouter's: <c>id</c> becomes the gateway's generation id,
/// <c>model</c> the OpenRouter model id, and <c>provider</c> is added. Everything else (usage included) stays.
/// </summary>
public static class ResponseRewriter
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary><c>gen-&lt;unix seconds&gt;-&lt;20 random letters and digits&gt;</c>, as OpenRouter's ids look.</summary>
    public static string NewGenerationId(DateTimeOffset now)
        => $"gen-{now.ToUnixTimeSeconds()}-{new string(RandomNumberGenerator.GetItems<char>(Alphabet, 20))}";

    /// <summary>The fields OpenRouter adds to the OpenAI request that an OpenAI-compatible upstream must not see.</summary>
    public static readonly string[] OpenRouterOnlyRequestFields = ["models", "provider", "transforms", "route", "usage"];

    /// <summary>The request as a mutable JSON object without OpenRouter's own fields, ready for <see cref="UpstreamBody"/>.</summary>
    public static JsonObject UpstreamRequest(ReadOnlySpan<byte> requestBody)
    {
        var request = JsonNode.Parse(requestBody)!.AsObject();
        foreach (var field in OpenRouterOnlyRequestFields)
        {
            request.Remove(field);
        }
        return request;
    }

    /// <summary>
    /// The request body for one endpoint: the same request with the provider's own model name, the
    /// <c>max_tokens</c> the credit hold pays for when the caller set none, and usage always asked for in
    /// streams (billing needs it, and OpenRouter always sends it).
    /// </summary>
    public static byte[] UpstreamBody(JsonObject request, string upstreamModel, int? loweredMaxTokens)
    {
        request["model"] = upstreamModel;
        if (loweredMaxTokens is { } maxTokens)
        {
            // Only for this endpoint: the next one may afford more.
            request = (JsonObject)request.DeepClone();
            request["max_tokens"] = maxTokens;
        }
        if (request["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streaming) && streaming)
        {
            var options = request["stream_options"] as JsonObject ?? new JsonObject();
            options["include_usage"] = true;
            request["stream_options"] = options;
        }
        return Serialize(request);
    }

    /// <summary>A whole (non-streaming) completion; null when the upstream body is not a JSON object.</summary>
    public static byte[]? RewriteCompletion(ReadOnlySpan<byte> upstreamBody, ResponseStamp stamp, GenerationMeter meter)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(upstreamBody);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is not JsonObject completion)
        {
            return null;
        }
        meter.Observe(completion);
        Stamp(completion, stamp);
        return Serialize(completion);
    }

    /// <summary>
    /// The payload of one SSE <c>data:</c> line: JSON chunks are stamped; <c>[DONE]</c>, error chunks and
    /// anything that is not a JSON object pass unchanged.
    /// </summary>
    public static string RewriteStreamData(string data, ResponseStamp stamp, GenerationMeter meter)
    {
        var trimmed = data.AsSpan().Trim();
        if (trimmed.Length == 0 || trimmed[0] != '{')
        {
            return data;
        }
        try
        {
            if (JsonNode.Parse(data) is JsonObject chunk && !chunk.ContainsKey("error"))
            {
                meter.Observe(chunk);
                Stamp(chunk, stamp);
                return chunk.ToJsonString();
            }
        }
        catch (JsonException)
        {
            // A cut chunk is relayed as it came; the client sees what the provider sent.
        }
        return data;
    }

    /// <summary>One SSE line as relayed: <c>data:</c> lines rewritten, comments, event names and blank lines unchanged.</summary>
    public static string RewriteStreamLine(string line, ResponseStamp stamp, GenerationMeter meter)
    {
        if (!line.StartsWith("data:", StringComparison.Ordinal))
        {
            return line;
        }
        var payload = line.AsSpan(5);
        var space = payload.Length > 0 && payload[0] == ' ';
        var rewritten = RewriteStreamData(space ? line[6..] : line[5..], stamp, meter);
        return space ? "data: " + rewritten : "data:" + rewritten;
    }

    private static void Stamp(JsonObject body, ResponseStamp stamp)
    {
        body["id"] = stamp.GenerationId;
        body["model"] = stamp.Model;
        body["provider"] = stamp.Provider;
    }

    private static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    internal static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
