using System.Text;
using Gateway.Api.Routing;
using OpenRouterClone.Catalog.Snapshot;

namespace Gateway.Benchmarks;

/// <summary>Inputs shared by the benchmarks: captured emulator traffic and a catalog the size of the seeded one.</summary>
public static class BenchData
{
    public static byte[] Bytes(string name)
    {
        using var stream = typeof(BenchData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    /// <summary>The (event name, data) pairs of a captured server-sent-event stream.</summary>
    public static (string? Name, string Data)[] Events(string name)
    {
        var events = new List<(string?, string)>();
        foreach (var block in Text(name).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? eventName = null;
            var data = new StringBuilder();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    eventName = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line["data:".Length..].TrimStart());
                }
            }
            if (data.Length > 0)
            {
                events.Add((eventName, data.ToString()));
            }
        }
        return [.. events];
    }

    private static readonly string[] Parameters = ["max_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "response_format", "seed"];

    /// <summary>
    /// 13 providers and 54 models with one to four endpoints each (about the seeded catalog's size), plus
    /// <c>deepseek/deepseek-chat</c> with the seeded endpoints and <c>openrouter/auto</c>'s shortlist.
    /// </summary>
    public static CatalogIndex Catalog { get; } = BuildCatalog();

    private static CatalogIndex BuildCatalog()
    {
        string[] slugs = ["openai", "anthropic", "google", "deepseek", "deepinfra", "together", "fireworks", "mistral", "groq", "xai", "cohere", "chutes", "novita"];
        var providers = slugs.Select(slug => new SnapshotProvider(slug, char.ToUpperInvariant(slug[0]) + slug[1..],
            slug switch { "anthropic" => SnapshotWireFormats.AnthropicMessages, "google" => SnapshotWireFormats.GeminiGenerateContent, _ => SnapshotWireFormats.OpenAIChat },
            $"https://{slug}.example/v1", "Operational", slug == "deepseek" ? null : 30, slug == "deepseek", slug is "together" or "deepinfra", "US")).ToList();

        var endpointId = 0;
        SnapshotEndpoint Endpoint(string provider, decimal promptPerMillion, decimal completionPerMillion, string? quantization = null) =>
            new(++endpointId, provider, $"{provider}-model-{endpointId}", 128_000, 8_192, null, quantization,
                new SnapshotPricing(promptPerMillion / 1_000_000m, completionPerMillion / 1_000_000m, 0, 0, null, null, 0, 0),
                Parameters, 0, false, false, new SnapshotEndpointStats(400 + endpointId, 50 + endpointId % 40, 99.5, 99.9));
        SnapshotModel Model(string id, params SnapshotEndpoint[] endpoints) => new(id, id, id, 128_000, ["text"], ["text"], endpoints);

        var models = new List<SnapshotModel>
        {
            Model("deepseek/deepseek-chat", Endpoint("deepseek", 0.27m, 1.10m), Endpoint("deepinfra", 0.38m, 0.89m, "fp8"), Endpoint("together", 1.25m, 1.25m, "fp8")),
            Model("openai/gpt-4o-mini", Endpoint("openai", 0.15m, 0.60m)),
            Model("google/gemini-2.5-flash", Endpoint("google", 0.30m, 2.50m)),
            Model("anthropic/claude-3.5-haiku", Endpoint("anthropic", 0.80m, 4m)),
        };
        for (var i = 0; models.Count < 54; i++)
        {
            var count = 1 + i % 4;
            models.Add(Model($"author{i % 9}/model-{i}", [.. Enumerable.Range(0, count).Select(k =>
                Endpoint(slugs[(i + k * 3) % slugs.Length], 0.1m + (i * 7 + k * 13) % 50 / 10m, 0.2m + (i * 11 + k * 5) % 80 / 10m, k % 2 == 0 ? null : "fp8"))]));
        }
        return new CatalogIndex(new CatalogSnapshot(1, DateTimeOffset.UnixEpoch, providers, models));
    }
}
