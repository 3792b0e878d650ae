using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Emulators.Mail;

/// <summary>What an operator wants to see of a message: sender, subject, and its text and HTML bodies.</summary>
public sealed record MimeContent(string From, string Subject, string? Text, string? Html);

/// <summary>
/// Just enough MIME (RFC 2045-2047) to show what System.Net.Mail and ordinary mailers send: folded headers,
/// encoded words, nested multiparts, base64 and quoted-printable, charsets. The raw message arrives as Latin-1
/// text (one char per byte), so 8-bit bodies are decoded with their own charset here.
/// </summary>
public static partial class MimeMessageReader
{
    private const int MaxDepth = 8;

    public static MimeContent Read(string rawMessage)
    {
        var (headers, body) = SplitHeaders(rawMessage);
        string? text = null, html = null;
        CollectBodies(headers, body, ref text, ref html, depth: 0);
        return new MimeContent(
            DecodeHeader(headers.GetValueOrDefault("from") ?? ""),
            DecodeHeader(headers.GetValueOrDefault("subject") ?? ""),
            text,
            html);
    }

    /// <summary>Headers (names lower-cased, folded lines joined, first occurrence wins) and the body after the blank line.</summary>
    public static (Dictionary<string, string> Headers, string Body) SplitHeaders(string entity)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var end = entity.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerBlock = end < 0 ? entity : entity[..end];
        var body = end < 0 ? "" : entity[(end + 4)..];
        string? name = null;
        var value = new StringBuilder();
        foreach (var line in headerBlock.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && name is not null)
            {
                value.Append(' ').Append(line.TrimStart());
                continue;
            }
            if (name is not null)
            {
                headers.TryAdd(name, value.ToString().Trim());
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            name = colon > 0 ? line[..colon].Trim() : null;
            value.Clear().Append(colon > 0 ? line[(colon + 1)..] : "");
        }
        if (name is not null)
        {
            headers.TryAdd(name, value.ToString().Trim());
        }
        return (headers, body);
    }

    private static void CollectBodies(Dictionary<string, string> headers, string body, ref string? text, ref string? html, int depth)
    {
        var (mediaType, parameters) = ParseContentType(headers.GetValueOrDefault("content-type"));
        if (mediaType.StartsWith("multipart/", StringComparison.Ordinal))
        {
            if (depth >= MaxDepth || !parameters.TryGetValue("boundary", out var boundary) || boundary.Length == 0)
            {
                return;
            }
            foreach (var part in SplitMultipart(body, boundary))
            {
                var (partHeaders, partBody) = SplitHeaders(part);
                CollectBodies(partHeaders, partBody, ref text, ref html, depth + 1);
            }
            return;
        }
        if (headers.GetValueOrDefault("content-disposition")?.StartsWith("attachment", StringComparison.OrdinalIgnoreCase) == true)
        {
            return;
        }
        if (mediaType == "text/plain" && text is null)
        {
            text = DecodeBody(body, headers.GetValueOrDefault("content-transfer-encoding"), parameters.GetValueOrDefault("charset"));
        }
        else if (mediaType == "text/html" && html is null)
        {
            html = DecodeBody(body, headers.GetValueOrDefault("content-transfer-encoding"), parameters.GetValueOrDefault("charset"));
        }
    }

    /// <summary>The media type (lower case; text/plain when absent, as RFC 2045 says) and its parameters.</summary>
    public static (string MediaType, Dictionary<string, string> Parameters) ParseContentType(string? value)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(value))
        {
            return ("text/plain", parameters);
        }
        var pieces = value.Split(';');
        foreach (var piece in pieces.Skip(1))
        {
            var equals = piece.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parameters[piece[..equals].Trim()] = piece[(equals + 1)..].Trim().Trim('"');
            }
        }
        return (pieces[0].Trim().ToLowerInvariant(), parameters);
    }

    private static IEnumerable<string> SplitMultipart(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var lines = body.Split("\r\n");
        StringBuilder? part = null;
        foreach (var line in lines)
        {
            if (line.StartsWith(delimiter, StringComparison.Ordinal))
            {
                if (part is not null)
                {
                    yield return part.ToString();
                }
                if (line.AsSpan(delimiter.Length).TrimEnd().SequenceEqual("--"))
                {
                    yield break;
                }
                part = new StringBuilder();
                continue;
            }
            if (part is not null)
            {
                if (part.Length > 0)
                {
                    part.Append("\r\n");
                }
                part.Append(line);
            }
        }
        if (part is not null)
        {
            yield return part.ToString();
        }
    }

    /// <summary>Undoes the transfer encoding, then reads the bytes in the part's charset (UTF-8 when unknown).</summary>
    public static string DecodeBody(string body, string? transferEncoding, string? charset)
    {
        byte[] bytes = (transferEncoding?.Trim().ToLowerInvariant()) switch
        {
            "base64" => DecodeBase64(body),
            "quoted-printable" => DecodeQuotedPrintable(body, underscoreIsSpace: false),
            _ => Encoding.Latin1.GetBytes(body),
        };
        return EncodingFor(charset).GetString(bytes);
    }

    /// <summary>RFC 2047 encoded words (<c>=?utf-8?B?...?=</c>, <c>=?utf-8?Q?...?=</c>); whitespace between two of them is dropped.</summary>
    public static string DecodeHeader(string value)
    {
        var decoded = EncodedWord().Replace(value, match =>
        {
            var payload = match.Groups["text"].Value;
            var bytes = match.Groups["encoding"].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? DecodeBase64(payload)
                : DecodeQuotedPrintable(payload, underscoreIsSpace: true);
            return "\u0001" + EncodingFor(match.Groups["charset"].Value).GetString(bytes) + "\u0002";
        });
        // Markers around each decoded word let the whitespace between adjacent words go, as the RFC requires.
        decoded = BetweenEncodedWords().Replace(decoded, "");
        return decoded.Replace("\u0001", "", StringComparison.Ordinal).Replace("\u0002", "", StringComparison.Ordinal);
    }

    private static byte[] DecodeBase64(string value)
    {
        var compact = new string([.. value.Where(character => !char.IsWhiteSpace(character))]);
        try
        {
            return Convert.FromBase64String(compact);
        }
        catch (FormatException)
        {
            return Encoding.Latin1.GetBytes(value);
        }
    }

    private static byte[] DecodeQuotedPrintable(string value, bool underscoreIsSpace)
    {
        var bytes = new List<byte>(value.Length);
        for (var index = 0; index < value.Length; index++)
        {
            var character = value[index];
            if (character == '=')
            {
                if (index + 2 < value.Length && value[index + 1] == '\r' && value[index + 2] == '\n')
                {
                    index += 2; // soft line break
                    continue;
                }
                if (index + 2 < value.Length
                    && byte.TryParse(value.AsSpan(index + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
                {
                    bytes.Add(hex);
                    index += 2;
                    continue;
                }
            }
            bytes.Add(underscoreIsSpace && character == '_' ? (byte)' ' : (byte)character);
        }
        return [.. bytes];
    }

    private static Encoding EncodingFor(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return Encoding.UTF8;
        }
        try
        {
            return Encoding.GetEncoding(charset.Trim());
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<encoding>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex("\u0002\\s+\u0001")]
    private static partial Regex BetweenEncodedWords();
}
