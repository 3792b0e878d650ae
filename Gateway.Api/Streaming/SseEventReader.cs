using System.Buffers;
using System.Text;

namespace Gateway.Api.Streaming;

/// <summary>
/// One server-sent event: its <c>event:</c> name (null when absent) and its joined <c>data:</c> lines as UTF-8,
/// valid until the reader's next <see cref="SseEventReader.TryRead"/> or <see cref="SseEventReader.FillAsync"/>.
/// </summary>
public readonly record struct SseEvent(string? Name, ReadOnlyMemory<byte> Data)
{
    public string DataText => Encoding.UTF8.GetString(Data.Span);
}

/// <summary>
/// Reads server-sent events as the spec frames them, straight from the bytes: lines up to a blank line make one
/// event; <c>data:</c> lines join with newlines; comments (<c>:</c>) and unknown fields are skipped; CR, LF and
/// CRLF all end lines. The caller drains every event a read brought (<see cref="TryRead"/>) before it reads
/// again (<see cref="FillAsync"/>), so it knows when the next event is not here yet: that is when to flush what
/// it relayed, once per network read rather than once per event.
/// </summary>
public sealed class SseEventReader(Stream stream) : IDisposable
{
    /// <summary>No sane provider sends an event this large; the stream is treated as broken rather than buffered on.</summary>
    public const int MaxEventBytes = 16 * 1024 * 1024;

    private const int MinimumRead = 4096;

    private static ReadOnlySpan<byte> EventField => "event"u8;
    private static ReadOnlySpan<byte> DataField => "data"u8;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private bool _ended;
    private readonly ArrayBufferWriter<byte> _joined = new();

    /// <summary>
    /// Reads more of the stream into the buffer; false once the stream has ended and everything it held was
    /// offered. At the end a blank line is added, so an event cut without its closing blank line is still delivered.
    /// </summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }
        MakeRoom();
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _ended = true;
            "\n\n"u8.CopyTo(_buffer.AsSpan(_end));
            _end += 2;
            return true;
        }
        _end += read;
        return true;
    }

    /// <summary>Takes the next whole event from what has been read; false when it needs <see cref="FillAsync"/>.</summary>
    public bool TryRead(out SseEvent item)
    {
        var position = _start;
        string? name = null;
        var dataStart = 0;
        var dataLength = 0;
        var dataLines = 0;
        while (TryLine(position, out var lineStart, out var lineLength, out var next))
        {
            position = next;
            var line = _buffer.AsSpan(lineStart, lineLength);
            if (line.IsEmpty)
            {
                _start = position;
                if (dataLines > 0)
                {
                    item = new SseEvent(name, dataLines == 1 ? _buffer.AsMemory(dataStart, dataLength) : _joined.WrittenMemory);
                    return true;
                }
                name = null;
                continue;
            }
            if (line[0] == (byte)':')
            {
                continue;
            }
            var colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            var valueStart = colon < 0 ? lineLength : colon + 1;
            if (valueStart < lineLength && line[valueStart] == (byte)' ')
            {
                valueStart++;
            }
            if (field.SequenceEqual(EventField))
            {
                name = Encoding.UTF8.GetString(line[valueStart..]);
            }
            else if (field.SequenceEqual(DataField))
            {
                // One data line (the usual case) is handed out in place; more are joined in a buffer of their own.
                if (dataLines == 1)
                {
                    _joined.ResetWrittenCount();
                    _joined.Write(_buffer.AsSpan(dataStart, dataLength));
                }
                if (dataLines >= 1)
                {
                    _joined.Write("\n"u8);
                    _joined.Write(line[valueStart..]);
                }
                dataStart = lineStart + valueStart;
                dataLength = lineLength - valueStart;
                dataLines++;
            }
        }
        if (position - _start > MaxEventBytes || _end - _start > MaxEventBytes)
        {
            throw new IOException($"A stream event is larger than {MaxEventBytes} bytes");
        }
        item = default;
        return false;
    }

    /// <summary>The line at <paramref name="from"/>, when its end has been read (a CR at the very end may still become a CRLF).</summary>
    private bool TryLine(int from, out int lineStart, out int lineLength, out int next)
    {
        lineStart = from;
        lineLength = 0;
        next = from;
        var end = _buffer.AsSpan(from, _end - from).IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0)
        {
            return false;
        }
        lineLength = end;
        var terminator = from + end;
        if (_buffer[terminator] == (byte)'\n')
        {
            next = terminator + 1;
            return true;
        }
        if (terminator + 1 < _end)
        {
            next = terminator + (_buffer[terminator + 1] == (byte)'\n' ? 2 : 1);
            return true;
        }
        if (_ended)
        {
            next = terminator + 1;
            return true;
        }
        return false;
    }

    /// <summary>Room for a read of at least <see cref="MinimumRead"/> bytes: the unread bytes moved to the front, in a larger buffer when they fill it.</summary>
    private void MakeRoom()
    {
        if (_buffer.Length - _end >= MinimumRead)
        {
            return;
        }
        var unread = _end - _start;
        var target = unread + MinimumRead > _buffer.Length ? ArrayPool<byte>.Shared.Rent(_buffer.Length * 2) : _buffer;
        _buffer.AsSpan(_start, unread).CopyTo(target);
        if (target != _buffer)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = target;
        }
        _start = 0;
        _end = unread;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
