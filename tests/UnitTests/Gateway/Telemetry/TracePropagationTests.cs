using System.Diagnostics;
using System.Text.Json.Nodes;
using Billing.Service.Generations;
using Gateway.Api.Inference;
using Gateway.Api.Keys;
using Gateway.Api.Routing;
using Gateway.Api.Credits;
using Microsoft.AspNetCore.Http;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;

namespace UnitTests.Gateway.Telemetry;

/// <summary>A generation's usage event carries its request's trace, and billing records it inside that trace.</summary>
public sealed class TracePropagationTests : IDisposable
{
    private readonly ActivitySource _requests = new("UnitTests.Requests");
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is "UnitTests.Requests" or "OpenRouterClone.Billing.Usage",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public TracePropagationTests() => ActivitySource.AddActivityListener(_listener);

    public void Dispose()
    {
        _listener.Dispose();
        _requests.Dispose();
    }

    private static (RouteCandidate Candidate, GenerationMeter Meter) Answered()
    {
        var endpoint = new SnapshotEndpoint(5, "p", "upstream", 128_000, 4096, null, null,
            new SnapshotPricing(0.000001m, 0.000002m, 0, 0, 0, null, 0, 0), [], 0, false, false, null);
        var model = new SnapshotModel("author/model", "Model", "author/model", 128_000, ["text"], ["text"], [endpoint]);
        var candidate = new RouteCandidate("author/model", model, endpoint, new SnapshotProvider("p", "P", SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
        return (candidate, GenerationMeter.For(candidate, new PromptTokens(new JsonObject()), TimeProvider.System));
    }

    private static UsageEvent UsageOf(GenerationAttempt generation)
    {
        var (candidate, meter) = Answered();
        return generation.ToUsageEvent(candidate, meter, DateTimeOffset.UnixEpoch.AddSeconds(1), new HeaderDictionary());
    }

    private static GenerationAttempt Generation()
        => new(new GatewayKey(Guid.NewGuid(), Guid.NewGuid(), false, false, null, null, "none"), "gen-1-abc", DateTimeOffset.UnixEpoch, streamed: false);

    [Fact]
    public void The_usage_event_carries_the_requests_traceparent_through_the_stream_and_billing_records_it_in_that_trace()
    {
        UsageEvent usage;
        string requestSpan;
        ActivityTraceId traceId;
        using (var request = _requests.StartActivity("POST /api/v1/chat/completions", ActivityKind.Server)!)
        {
            usage = UsageOf(Generation());
            requestSpan = request.SpanId.ToHexString();
            traceId = request.TraceId;
        }
        Assert.Equal($"00-{traceId.ToHexString()}-{requestSpan}-01", usage.TraceParent);

        var received = UsageEvent.FromStreamFields(usage.ToStreamFields());
        Assert.Equal(usage.TraceParent, received.TraceParent);

        using var recording = UsageEventConsumer.StartRecording([received])!;
        Assert.Equal(traceId, recording.TraceId);
        Assert.Equal(requestSpan, recording.ParentSpanId.ToHexString());
        Assert.Equal("gen-1-abc", recording.GetTagItem("openrouter.generation_id"));
    }

    [Fact]
    public void A_batch_is_recorded_in_a_span_of_its_own_linked_to_each_requests_trace()
    {
        var traces = new List<ActivityTraceId>();
        var batch = new List<UsageEvent>();
        for (var i = 0; i < 3; i++)
        {
            using var request = _requests.StartActivity("POST /api/v1/chat/completions", ActivityKind.Server)!;
            traces.Add(request.TraceId);
            batch.Add(UsageOf(Generation()));
        }
        batch.Add(UsageOf(Generation()));

        using var recording = UsageEventConsumer.StartRecording(batch)!;
        Assert.Equal(default, recording.ParentSpanId);
        Assert.DoesNotContain(recording.TraceId, traces);
        Assert.Equal(traces, recording.Links.Select(link => link.Context.TraceId));
        Assert.Equal(4, recording.GetTagItem("openrouter.usage.batch_size"));
    }

    [Fact]
    public void Without_a_trace_the_event_has_no_traceparent_and_recording_starts_a_trace_of_its_own()
    {
        var usage = UsageOf(Generation());
        Assert.Null(usage.TraceParent);
        Assert.DoesNotContain(usage.ToStreamFields(), field => field.Name == "traceparent");

        using var recording = UsageEventConsumer.StartRecording([UsageEvent.FromStreamFields(usage.ToStreamFields())])!;
        Assert.Equal(default, recording.ParentSpanId);
    }
}
