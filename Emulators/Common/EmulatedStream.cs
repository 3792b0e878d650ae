using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Emulators.Common;

/// <summary>
/// Plays a prepared stream the way a model generates it: the first-token delay before the first event, the
/// inter-token delay before every token after the first, and an injected fault at its place.
/// </summary>
public static class EmulatedStream
{
    /// <summary>
    /// Time for the client to read what was sent before the connection is aborted: Kestrel drops output
    /// still queued when the connection goes, and a reset should strike after the tokens, not instead of them.
    /// </summary>
    private static readonly TimeSpan DrainBeforeReset = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The index of the event the fault replaces: the token after the first <paramref name="afterTokens"/>
    /// tokens, or, when the reply has no more tokens than that, the event after its last token. So a fault
    /// always lands before the stream's closing events (finish reason, usage, done) and the reply is never whole.
    /// </summary>
    public static int FaultIndex(IReadOnlyList<StreamEvent> events, int afterTokens)
    {
        var tokens = 0;
        var afterLastToken = Math.Min(1, events.Count);
        for (var index = 0; index < events.Count; index++)
        {
            if (!events[index].CarriesToken)
            {
                continue;
            }
            if (tokens++ == afterTokens)
            {
                return index;
            }
            afterLastToken = index + 1;
        }
        return afterLastToken;
    }

    /// <summary>Half of a serialized payload: never valid JSON, as a chunk cut off in transit.</summary>
    public static string Truncate(string payload) => payload.Length < 2 ? "{" : payload[..(payload.Length / 2)];

    public static async IAsyncEnumerable<SseItem<string>> PlayAsync(
        IReadOnlyList<StreamEvent> events,
        EmulatedLatency latency,
        EmulatedFault? fault,
        IWireFormat format,
        HttpContext httpContext,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(latency.TimeToFirstToken, timeProvider, cancellationToken);

        var faultIndex = fault is null ? -1 : FaultIndex(events, fault.AfterTokens ?? 0);
        var tokensSent = 0;
        for (var index = 0; index <= events.Count; index++)
        {
            var isToken = index < events.Count && events[index].CarriesToken;
            if (isToken && tokensSent > 0)
            {
                // Also when the fault takes this token's place: it strikes while the token is generated.
                await Task.Delay(latency.InterTokenDelay, timeProvider, cancellationToken);
            }

            if (index == faultIndex)
            {
                switch (fault!.Kind)
                {
                    case FaultKind.Error:
                        yield return ToItem(format.StreamError(fault.StatusCode));
                        yield break;
                    case FaultKind.Malformed:
                        var cut = index < events.Count ? events[index] : new StreamEvent("{}");
                        yield return ToItem(cut with { Data = Truncate(cut.Data) });
                        yield break;
                    case FaultKind.Hang:
                        await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, cancellationToken);
                        yield break;
                    case FaultKind.Reset:
                        await Task.Delay(DrainBeforeReset, timeProvider, cancellationToken);
                        httpContext.Abort();
                        yield break;
                }
            }

            if (index == events.Count)
            {
                yield break;
            }
            if (isToken)
            {
                tokensSent++;
            }
            yield return ToItem(events[index]);
        }
    }

    private static SseItem<string> ToItem(StreamEvent streamEvent) => new(streamEvent.Data, streamEvent.EventType);
}
