using System.Buffers;
using System.Text.Json;
using Gateway.Api.Credits;
using Gateway.Api.Inference;

namespace Gateway.Api.Streaming;

/// <summary>
/// The byte-level relay of an OpenAI-format upstream to a chat caller. Almost every chunk of a stream carries
/// only a content or reasoning delta: no finish reason, usage, error or tool call, so the only change it needs
/// is the gateway's stamp. Such a chunk keeps its bytes, with the <c>id</c> and <c>model</c> values replaced and
/// the <c>provider</c> set, and the meter reads its text, without a JSON object built per token. Any other
/// chunk (or one this reader does not expect) is refused, and takes the object path, which handles everything.
/// One instance per stream; not thread-safe.
/// </summary>
public sealed class PlainChunkRestamp(ResponseStamp stamp)
{
    private readonly byte[] _id = Quoted(stamp.GenerationId);
    private readonly byte[] _model = Quoted(stamp.Model);
    private readonly byte[] _provider = Quoted(stamp.Provider);
    private readonly List<(string? Content, string? Reasoning)> _deltas = [];
    private readonly ArrayBufferWriter<byte> _output = new(512);

    /// <summary>
    /// The chunk restamped, when it is plain: its text is then observed by <paramref name="meter"/>. Otherwise
    /// false, and neither the meter nor anything else was touched.
    /// </summary>
    public bool TryRestamp(ReadOnlySpan<byte> chunk, GenerationMeter meter, out ReadOnlySpan<byte> restamped)
    {
        restamped = default;
        // One line of JSON: an SSE data line cannot carry the newlines of a multi-line event.
        if (chunk.IsEmpty || chunk[0] != (byte)'{' || chunk.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            return false;
        }
        _deltas.Clear();
        Range id = default, model = default, provider = default;
        var upstreamId = (string?)null;
        int end;
        try
        {
            var reader = new Utf8JsonReader(chunk);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    if (!ReadString(ref reader, out id))
                    {
                        return false;
                    }
                    upstreamId = meter.UpstreamId is null ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    if (!ReadString(ref reader, out model))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("provider"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    provider = start..(int)reader.BytesConsumed;
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    if (!ReadChoices(ref reader))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("usage"u8) || reader.ValueTextEquals("error"u8))
                {
                    if (!ReadNull(ref reader))
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            end = (int)reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || id.Equals(default(Range)) || model.Equals(default(Range)))
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (upstreamId is not null)
        {
            meter.ObserveUpstreamId(upstreamId);
        }
        foreach (var (content, reasoning) in _deltas)
        {
            meter.ObserveDelta(content, reasoning);
        }
        _output.ResetWrittenCount();
        WriteStamped(chunk, id, model, provider, end);
        restamped = _output.WrittenSpan;
        return true;
    }

    /// <summary>The chunk with the three values replaced, in the order they appear; a missing provider goes last.</summary>
    private void WriteStamped(ReadOnlySpan<byte> chunk, Range id, Range model, Range provider, int end)
    {
        Span<(Range Value, int Which)> replacements = [(id, 0), (model, 1), (provider, 2)];
        replacements.Sort(static (a, b) => a.Value.Start.Value.CompareTo(b.Value.Start.Value));
        var copied = 0;
        foreach (var (value, which) in replacements)
        {
            if (value.Equals(default(Range)))
            {
                continue;
            }
            _output.Write(chunk[copied..value.Start.Value]);
            _output.Write(which switch { 0 => _id, 1 => _model, _ => _provider });
            copied = value.End.Value;
        }
        _output.Write(chunk[copied..end]);
        if (provider.Equals(default(Range)))
        {
            _output.Write(",\"provider\":"u8);
            _output.Write(_provider);
        }
        _output.Write(chunk[end..]);
    }

    private static bool ReadString(ref Utf8JsonReader reader, out Range value)
    {
        reader.Read();
        value = (int)reader.TokenStartIndex..(int)reader.BytesConsumed;
        return reader.TokenType == JsonTokenType.String;
    }

    private static bool ReadNull(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>Every choice a text delta with no finish reason; anything else (a tool call, a finish) is not plain.</summary>
    private bool ReadChoices(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? content = null, reasoning = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    if (!ReadDelta(ref reader, ref content, ref reasoning))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    if (!ReadNull(ref reader))
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            _deltas.Add((content, reasoning));
        }
        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool ReadDelta(ref Utf8JsonReader reader, ref string? content, ref string? reasoning)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            var isContent = reader.ValueTextEquals("content"u8);
            if (!isContent && !reader.ValueTextEquals("reasoning"u8))
            {
                return false;
            }
            reader.Read();
            var text = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                _ => throw new JsonException("A delta's text is not a string"),
            };
            if (isContent)
            {
                content = text;
            }
            else
            {
                reasoning = text;
            }
        }
        return true;
    }

    private static byte[] Quoted(string value)
    {
        var encoded = JsonEncodedText.Encode(value).EncodedUtf8Bytes;
        var quoted = new byte[encoded.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        encoded.CopyTo(quoted.AsSpan(1));
        return quoted;
    }
}
