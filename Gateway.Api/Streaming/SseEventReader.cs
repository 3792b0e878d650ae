using System.Text;

namespace Gateway.Api.Streaming;

/// <summary>One server-sent event: its <c>event:</c> name (null when absent) and its joined <c>data:</c> lines.</summary>
public readonly record struct SseEvent(string? Name, string Data);

/// <summary>
/// Reads server-sent events as the spec frames them: lines up to a blank line make one event; <c>data:</c>
/// lines join with newlines; comments (<c>:</c>) and unknown fields are skipped. CR, LF and CRLF all end lines.
/// </summary>
public static class SseEventReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false);
        string? name = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new SseEvent(name, data.ToString());
                }
                name = null;
                data.Clear();
                hasData = false;
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }
            if (field == "event")
            {
                name = value;
            }
            else if (field == "data")
            {
                if (hasData)
                {
                    data.Append('\n');
                }
                data.Append(value);
                hasData = true;
            }
        }
        if (hasData)
        {
            // A stream cut without its closing blank line still delivers what it carried.
            yield return new SseEvent(name, data.ToString());
        }
    }
}
