using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.Inference;
using Gateway.Api.Streaming;
using Microsoft.AspNetCore.Http;

namespace UnitTests.Gateway.Streaming;

public class ClientEventStreamTests
{
    private static (DefaultHttpContext Context, MemoryStream Body) NewResponse()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }

    [Fact]
    public async Task Added_events_go_out_together_on_flush_in_the_order_added()
    {
        var (context, body) = NewResponse();
        await using var events = new ClientEventStream(context.Response, "gen-1", TimeSpan.FromMinutes(1));

        events.Add([new ClientEvent(null, new JsonObject { ["n"] = 1 })]);
        events.AddData("""{"n":2}"""u8);
        events.Add([new ClientEvent("message_stop", new JsonObject { ["type"] = "message_stop" })]);

        // Nothing is sent before the flush, and the caller may still be given another endpoint's answer.
        Assert.Equal(0, body.Length);
        Assert.False(events.HasStarted);
        Assert.False(events.HasData);

        await events.FlushAsync(CancellationToken.None);

        Assert.Equal("data: {\"n\":1}\n\ndata: {\"n\":2}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", Encoding.UTF8.GetString(body.ToArray()));
        Assert.True(events.HasData);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("text/event-stream", context.Response.ContentType);
        Assert.Equal("gen-1", context.Response.Headers["X-Generation-Id"].ToString());

        // A flush with nothing added sends nothing; the next events follow the first ones.
        await events.FlushAsync(CancellationToken.None);
        await events.WriteAsync([ClientEvent.Done], CancellationToken.None);
        Assert.EndsWith("\n\ndata: [DONE]\n\n", Encoding.UTF8.GetString(body.ToArray()));
        Assert.Single(Encoding.UTF8.GetString(body.ToArray()).Split("[DONE]")[1..]);
    }

    [Fact]
    public async Task Events_whose_write_failed_are_not_sent_again_with_the_next_ones()
    {
        var body = new FailingOnceStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        await using var events = new ClientEventStream(context.Response, "gen-1", TimeSpan.FromMinutes(1));

        events.AddData("""{"n":1}"""u8);
        await Assert.ThrowsAsync<IOException>(() => events.FlushAsync(CancellationToken.None));
        await events.WriteAsync([new ClientEvent(null, new JsonObject { ["error"] = "cut" })], CancellationToken.None);

        Assert.Equal("data: {\"error\":\"cut\"}\n\n", Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>A connection whose first write breaks.</summary>
    private sealed class FailingOnceStream : MemoryStream
    {
        private bool _failed;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("connection reset");
            }
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
