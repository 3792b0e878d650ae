using System.Net.ServerSentEvents;
using System.Text;

namespace Emulators.Common;

/// <summary>
/// A provider's answer, prepared in full before latency and faults are applied: the non-streaming JSON body and
/// its token count, and for a streaming request the events of the stream.
/// </summary>
public sealed record PreparedReply(string Json, int CompletionTokens, IReadOnlyList<StreamEvent>? Events = null)
{
    public bool IsStreaming => Events is not null;
}

/// <summary>
/// Sends a prepared reply the same way for every wire format: waits as generation would, and injects the
/// request's fault. Faults without a token count strike before any byte of the reply: an HTTP error status,
/// a hang, a reset or (non-streaming) a truncated body; a malformed stream still starts and breaks at once.
/// </summary>
public static class EmulatedResponder
{
    private const string JsonContentType = "application/json";

    public static IResult ServerSentEvents(IAsyncEnumerable<SseItem<string>> events) => TypedResults.ServerSentEvents(events);

    public static async Task<IResult> RespondAsync(
        HttpContext httpContext,
        EmulatorDirectives directives,
        IWireFormat format,
        PreparedReply reply,
        TimeProvider timeProvider,
        Func<IAsyncEnumerable<SseItem<string>>, IResult>? streamFraming = null)
    {
        var cancellationToken = httpContext.RequestAborted;
        var (latency, fault) = (directives.Latency, directives.Fault);

        var midStream = reply.IsStreaming && fault is not null && (fault.AfterTokens is not null || fault.Kind == FaultKind.Malformed);
        if (fault is not null && !midStream)
        {
            // Failing only after the generation time lets tests emulate slow failures as well as fast ones.
            var tokensFirst = Math.Min(fault.AfterTokens ?? 0, reply.CompletionTokens);
            await Task.Delay(latency.TotalFor(tokensFirst), timeProvider, cancellationToken);
            return await FailAsync(httpContext, fault, format, reply, timeProvider, cancellationToken);
        }

        if (reply.Events is { } events)
        {
            var played = EmulatedStream.PlayAsync(events, latency, fault, format, httpContext, timeProvider, cancellationToken);
            return (streamFraming ?? ServerSentEvents)(played);
        }

        // A non-streaming reply takes as long as the same reply streamed.
        await Task.Delay(latency.TotalFor(reply.CompletionTokens), timeProvider, cancellationToken);
        return Json(reply.Json);
    }

    /// <summary>The provider's error response for a failure injected before the reply (429 adds Retry-After).</summary>
    public static IResult Error(HttpContext httpContext, IWireFormat format, int statusCode)
    {
        if (statusCode == StatusCodes.Status429TooManyRequests)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }
        return format.ErrorResult(statusCode);
    }

    public static IResult Json(string json, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Text(json, JsonContentType, Encoding.UTF8, statusCode);

    private static async Task<IResult> FailAsync(
        HttpContext httpContext, EmulatedFault fault, IWireFormat format, PreparedReply reply, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        switch (fault.Kind)
        {
            case FaultKind.Hang:
                // Never answers: the delay ends only when the client gives up and the request is aborted.
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, cancellationToken);
                return TypedResults.Empty;
            case FaultKind.Reset:
                httpContext.Abort();
                return TypedResults.Empty;
            case FaultKind.Malformed:
                return Json(EmulatedStream.Truncate(reply.Json));
            default:
                return Error(httpContext, format, fault.StatusCode);
        }
    }
}
