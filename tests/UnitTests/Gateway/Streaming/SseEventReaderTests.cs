using System.Text;
using Gateway.Api.Streaming;

namespace UnitTests.Gateway.Streaming;

public class SseEventReaderTests
{
    private const string Stream =
        ": keep-alive comment\r\n" +
        "event: message_start\r\n" +
        "data: {\"a\":1}\r\n" +
        "\r\n" +
        "data: first line\n" +
        "data:second line\n" +
        "id: 7\n" +
        "\n" +
        "event: ping\r" +
        "\r" +
        "data: [DONE]\n" +
        "\n" +
        "data: cut without its blank line";

    private static readonly (string? Name, string Data)[] Expected =
    [
        ("message_start", "{\"a\":1}"),
        (null, "first line\nsecond line"),
        (null, "[DONE]"),
        (null, "cut without its blank line"),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task Events_are_the_same_however_the_network_splits_the_bytes(int bytesPerRead)
    {
        var events = new List<(string?, string)>();
        using var reader = new SseEventReader(new TrickleStream(Encoding.UTF8.GetBytes(Stream), bytesPerRead));
        while (await reader.FillAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var item))
            {
                events.Add((item.Name, item.DataText));
            }
        }
        Assert.Equal(Expected, events);
    }

    [Fact]
    public async Task Every_event_one_read_brought_is_taken_before_the_next_read()
    {
        var stream = new TrickleStream(Encoding.UTF8.GetBytes("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4"), bytesPerRead: 1000);
        using var reader = new SseEventReader(stream);

        Assert.True(await reader.FillAsync(CancellationToken.None));
        var taken = new List<string>();
        while (reader.TryRead(out var item))
        {
            taken.Add(item.DataText);
        }

        // The fourth event may yet continue: it waits for the next read, which finds the stream's end.
        Assert.Equal(["1", "2", "3"], taken);
        Assert.Equal(1, stream.Reads);
        Assert.True(await reader.FillAsync(CancellationToken.None));
        Assert.True(reader.TryRead(out var last));
        Assert.Equal("4", last.DataText);
        Assert.False(await reader.FillAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_CR_at_the_end_of_a_read_waits_to_see_whether_an_LF_follows()
    {
        // Split as "data: x\r" | "\n\r\n": the CRLF must not count as two line ends (which would end the event early).
        using var reader = new SseEventReader(new TrickleStream(Encoding.UTF8.GetBytes("data: x\r\ndata: y\r\n\r\n"), bytesPerRead: 8));
        var events = new List<string>();
        while (await reader.FillAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var item))
            {
                events.Add(item.DataText);
            }
        }
        Assert.Equal(["x\ny"], events);
    }

    [Fact]
    public async Task An_event_larger_than_the_limit_breaks_the_stream()
    {
        var huge = new byte[SseEventReader.MaxEventBytes + 10_000];
        "data: "u8.CopyTo(huge);
        huge.AsSpan(6).Fill((byte)'x');
        using var reader = new SseEventReader(new TrickleStream(huge, bytesPerRead: 1 << 20));

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (await reader.FillAsync(CancellationToken.None))
            {
                while (reader.TryRead(out _))
                {
                }
            }
        });
    }

    /// <summary>Hands out at most a few bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] bytes, int bytesPerRead) : Stream
    {
        private int _position;

        public int Reads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            var count = Math.Min(Math.Min(bytesPerRead, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, count).CopyTo(buffer.Span);
            _position += count;
            return ValueTask.FromResult(count);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
