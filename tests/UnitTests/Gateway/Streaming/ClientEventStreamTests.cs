using System.Runtime.ExceptionServices;
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

    // Marks this test's own flow of execution, so exceptions other tests throw meanwhile are not counted.
    private static readonly AsyncLocal<bool> InCommentTest = new();

    [Fact]
    public async Task Processing_comments_go_out_while_waiting_and_stop_without_an_exception_once_data_went_out()
    {
        var (context, body) = NewResponse();
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (InCommentTest.Value)
            {
                Interlocked.Increment(ref thrown);
            }
        }
        InCommentTest.Value = true;
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            await using (var events = new ClientEventStream(context.Response, "gen-1", TimeSpan.FromMilliseconds(10)))
            {
                events.StartProcessingComments();
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (!events.HasStarted && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5, TestContext.Current.CancellationToken);
                }
                await events.WriteAsync([new ClientEvent(null, new JsonObject { ["n"] = 1 })], TestContext.Current.CancellationToken);
                // Several intervals more: once data went out, no comment follows it.
                await Task.Delay(60, TestContext.Current.CancellationToken);
            }
            var lengthWhenClosed = body.Length;
            await Task.Delay(60, TestContext.Current.CancellationToken);

            Assert.Equal(lengthWhenClosed, body.Length);
            var sent = Encoding.UTF8.GetString(body.ToArray());
            Assert.StartsWith(ClientEventStream.ProcessingComment, sent, StringComparison.Ordinal);
            Assert.EndsWith("data: {\"n\":1}\n\n", sent, StringComparison.Ordinal);
            // Ending the comments is how nearly every stream goes: it must not cost an exception each time.
            Assert.Equal(0, Volatile.Read(ref thrown));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
            InCommentTest.Value = false;
        }
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
