using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Gateway.Api.Credits;
using Gateway.Api.Inference;
using Gateway.Api.Providers;
using Gateway.Api.Streaming;
using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;

namespace Gateway.Benchmarks;

/// <summary>
/// One whole streamed answer (captured from the emulator: 46 prompt words echoed back, about 50 events) through
/// each stage of the gateway's relay: SSE framing, the provider-format translation, metering and stamping each
/// chunk, and writing it out as the caller's SSE frame (as <c>ClientEventStream.WriteAsync</c> does).
/// Per-event cost = the figure / the event count in the benchmark's name.
/// </summary>
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    private static readonly SnapshotPricing Pricing = new(0.27m / 1_000_000m, 1.10m / 1_000_000m, 0, 0, null, null, 0, 0);
    private static readonly PromptTokens Prompt = new(new JsonObject());
    private static readonly ResponseStamp Stamp = new("gen-1795642390-rbavcJC15vtLfpyIHMQR", "deepseek/deepseek-chat", "DeepSeek");

    private byte[] _openAiSse = null!;
    private (string? Name, byte[] Data)[] _openAiEventBytes = null!;
    private (string? Name, string Data)[] _anthropicEvents = null!;
    private (string? Name, string Data)[] _geminiEvents = null!;
    private byte[] _completion = null!;

    [GlobalSetup]
    public void Setup()
    {
        _openAiSse = BenchData.Bytes("openai-stream.sse");
        _openAiEventBytes = [.. BenchData.Events("openai-stream.sse").Select(item => (item.Name, Encoding.UTF8.GetBytes(item.Data)))];
        _anthropicEvents = BenchData.Events("anthropic-stream.sse");
        _geminiEvents = BenchData.Events("gemini-stream.sse");
        _completion = BenchData.Bytes("openai-completion.json");
    }

    /// <summary>SseEventReader over the OpenAI-format stream's bytes.</summary>
    [Benchmark]
    public async Task<int> Sse_read_openai_stream()
    {
        var count = 0;
        using var stream = new MemoryStream(_openAiSse, writable: false);
        using var reader = new SseEventReader(stream);
        while (await reader.FillAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var item))
            {
                count += item.Data.Length;
            }
        }
        return count;
    }

    /// <summary>
    /// As the gateway relays an OpenAI-format stream to a chat caller: the plain text chunks restamped as bytes,
    /// the others (role, finish, usage) through the object path, each as the caller's frame.
    /// </summary>
    [Benchmark]
    public int Relay_openai_stream()
    {
        var upstream = new OpenAIChatAdapter().OpenStream();
        var client = ChatClientFormat.Instance.OpenStream();
        var meter = new GenerationMeter(Pricing, Prompt, TimeProvider.System);
        var restamp = new PlainChunkRestamp(Stamp);
        var bytes = 0;
        foreach (var (name, data) in _openAiEventBytes)
        {
            bytes += restamp.TryRestamp(data, meter, out var restamped)
                ? restamped.Length + 8
                : Write(upstream.OnEvent(name, data), client, meter);
        }
        return bytes + Write(upstream.Complete(), client, meter);
    }

    /// <summary>Every chunk through the object path: the OpenAI pass-through adapter's parse, then Finish (finish reasons, metering, stamp) and the caller's frame.</summary>
    [Benchmark(Baseline = true)]
    public int Relay_openai_stream_as_objects()
    {
        var upstream = new OpenAIChatAdapter().OpenStream();
        var client = ChatClientFormat.Instance.OpenStream();
        var meter = new GenerationMeter(Pricing, Prompt, TimeProvider.System);
        var bytes = 0;
        foreach (var (name, data) in _openAiEventBytes)
        {
            bytes += Write(upstream.OnEvent(name, data), client, meter);
        }
        return bytes + Write(upstream.Complete(), client, meter);
    }

    /// <summary>Anthropic Messages events translated to chat chunks (no metering or writing).</summary>
    [Benchmark]
    public int Translate_anthropic_stream()
    {
        var translator = new AnthropicStreamTranslator(1_795_642_390);
        var chunks = 0;
        foreach (var (name, data) in _anthropicEvents)
        {
            chunks += translator.OnEvent(name, data).Count;
        }
        return chunks + translator.Complete().Count;
    }

    /// <summary>Gemini stream events translated to chat chunks (no metering or writing).</summary>
    [Benchmark]
    public int Translate_gemini_stream()
    {
        var translator = new GeminiStreamTranslator(1_795_642_390);
        var chunks = 0;
        foreach (var (_, data) in _geminiEvents)
        {
            chunks += translator.OnData(data).Count;
        }
        return chunks + translator.Complete().Count;
    }

    /// <summary>A non-streamed answer: parse, Finish, serialize.</summary>
    [Benchmark]
    public byte[] Rewrite_completion()
    {
        var completion = new OpenAIChatAdapter().ReadCompletion(_completion)!;
        ResponseRewriter.Finish(completion, Stamp, new GenerationMeter(Pricing, Prompt, TimeProvider.System));
        return ResponseRewriter.Serialize(ChatClientFormat.Instance.ToCaller(completion));
    }

    private static int Write(IReadOnlyList<JsonObject> chunks, IClientStream client, GenerationMeter meter)
    {
        var bytes = 0;
        foreach (var chunk in chunks)
        {
            ResponseRewriter.Finish(chunk, Stamp, meter);
            var frames = new StringBuilder();
            foreach (var item in client.OnChunk(chunk))
            {
                if (item.Name is { } name)
                {
                    frames.Append("event: ").Append(name).Append('\n');
                }
                frames.Append("data: ").Append(item.Data?.ToJsonString() ?? "[DONE]").Append("\n\n");
            }
            bytes += Encoding.UTF8.GetBytes(frames.ToString()).Length;
        }
        return bytes;
    }
}
