using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Inference;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Api.Streaming;

/// <summary>
/// The caller's side of a streamed answer: SSE headers on first write, one flushed write per event, and
/// <c>: OPENROUTER PROCESSING</c> comments while the upstream has not answered yet (so proxies and clients
/// keep the connection open). Comments are not data: the gateway may still fall back to another endpoint
/// after sending them, but not after the first chunk.
/// </summary>
public sealed class ClientEventStream(HttpResponse response, string generationId, TimeSpan processingCommentInterval) : IAsyncDisposable
{
    public const string ProcessingComment = ": OPENROUTER PROCESSING\n\n";

    private static readonly byte[] Comment = Encoding.UTF8.GetBytes(ProcessingComment);

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    // A timer, not a looping task: stopping it leaves no task to wait for, which on streams that answer at once (nearly
    // all) cost a thread hop each.
    private ITimer? _heartbeat;
    // Cuts short a comment that a caller who stopped reading holds up, so that closing never waits on it. Never
    // disposed: a comment the timer fired just before closing may still read its token (it has no timer to free).
    private readonly CancellationTokenSource _closing = new();
    private bool _headersSent;
    private bool _dataSent;
    private bool _closed;
    // Events added since the last flush: those one upstream read brought go out together.
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private Utf8JsonWriter? _json;

    /// <summary>True once the 200 and SSE headers have gone out: failures must now be told in the stream.</summary>
    public bool HasStarted => _headersSent;

    /// <summary>True once a data event went out: from here on no other endpoint may be tried.</summary>
    public bool HasData => _dataSent;

    public void StartProcessingComments()
        => _heartbeat = TimeProvider.System.CreateTimer(
            static state => _ = ((ClientEventStream)state!).SendCommentAsync(), this, processingCommentInterval, processingCommentInterval);

    /// <summary>Adds events (an <c>event:</c> line when named) and sends them, with any added before, at once.</summary>
    public Task WriteAsync(IReadOnlyList<ClientEvent> events, CancellationToken cancellationToken)
    {
        Add(events);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Adds events to go out with the next <see cref="FlushAsync"/>.</summary>
    public void Add(IReadOnlyList<ClientEvent> events)
    {
        // Straight to UTF-8: this runs once per token on every stream.
        foreach (var item in events)
        {
            if (item.Name is { } name)
            {
                _pending.Write(EventPrefix);
                Encoding.UTF8.GetBytes(name, _pending);
                _pending.Write(LineEnd);
            }
            _pending.Write(DataPrefix);
            if (item.Data is { } data)
            {
                _json ??= new Utf8JsonWriter(_pending);
                data.WriteTo(_json);
                _json.Flush();
                _json.Reset();
            }
            else
            {
                _pending.Write(Done);
            }
            _pending.Write(EventEnd);
        }
    }

    /// <summary>Adds one unnamed event whose data is JSON already serialized on one line.</summary>
    public void AddData(ReadOnlySpan<byte> json)
    {
        _pending.Write(DataPrefix);
        _pending.Write(json);
        _pending.Write(EventEnd);
    }

    /// <summary>Sends what was added, in one write and flush.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }
        try
        {
            await WriteAsync(_pending.WrittenMemory, isData: true, cancellationToken);
        }
        finally
        {
            // Sent or not, never again: an error chunk after a failed write must not carry them a second time.
            _pending.ResetWrittenCount();
        }
    }

    private static ReadOnlySpan<byte> EventPrefix => "event: "u8;
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> Done => "[DONE]"u8;
    private static ReadOnlySpan<byte> LineEnd => "\n"u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private async Task SendCommentAsync()
    {
        try
        {
            await WriteAsync(Comment, isData: false, _closing.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The caller left: the main path notices on its own write.
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, bool isData, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!isData && (_dataSent || _closed))
            {
                return;
            }
            if (isData && !_dataSent)
            {
                _heartbeat?.Dispose();
            }
            if (!_headersSent)
            {
                _headersSent = true;
                response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                response.StatusCode = StatusCodes.Status200OK;
                response.Headers["X-Generation-Id"] = generationId;
                response.ContentType = "text/event-stream";
                response.Headers.CacheControl = "no-cache";
            }
            _dataSent |= isData;
            // PipeWriter.WriteAsync writes and flushes in one step.
            await response.BodyWriter.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _heartbeat?.Dispose();
        _closing.Cancel();
        // A comment already on its way waits for the lock, and then finds the stream closed.
        await _writeLock.WaitAsync();
        _closed = true;
        _writeLock.Release();
        _json?.Dispose();
    }
}
