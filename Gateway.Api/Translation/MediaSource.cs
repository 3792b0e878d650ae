namespace Gateway.Api.Translation;

/// <summary>
/// An image or file as both Anthropic and Gemini take it: either a remote URL, or base64 data with its media
/// type (from an RFC 2397 <c>data:</c> URL, the only way OpenAI requests carry inline bytes).
/// </summary>
public sealed record MediaSource(string? Url, string MediaType, string? Base64Data)
{
    public bool IsInline => Base64Data is not null;

    /// <summary>Parses an OpenAI <c>image_url.url</c> or <c>file.file_data</c>; <paramref name="field"/> names it in errors.</summary>
    public static MediaSource Parse(string? url, string field, string? defaultMediaType = null)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new TranslationException($"{field} is required");
        }
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            // data:[<media type>][;params];base64,<data>: only base64 makes sense for binary content.
            var comma = url.IndexOf(',');
            var header = comma < 0 ? "" : url[5..comma];
            if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new TranslationException($"{field} must be a base64 data URL (data:<media type>;base64,<data>)");
            }
            var mediaType = header[..header.IndexOf(';')];
            return new MediaSource(null, mediaType.Length > 0 ? mediaType.ToLowerInvariant() : defaultMediaType ?? "application/octet-stream", url[(comma + 1)..]);
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == "gs"))
        {
            return new MediaSource(url, GuessMediaType(uri.AbsolutePath) ?? defaultMediaType ?? "application/octet-stream", null);
        }
        throw new TranslationException($"{field} must be an http(s) URL or a base64 data URL");
    }

    public static string ToDataUrl(string mediaType, string base64Data) => $"data:{mediaType};base64,{base64Data}";

    /// <summary>Gemini needs a media type even for URLs; the file extension is the only hint a URL gives.</summary>
    internal static string? GuessMediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".heic" => "image/heic",
        ".pdf" => "application/pdf",
        ".txt" => "text/plain",
        ".mp3" => "audio/mp3",
        ".wav" => "audio/wav",
        ".mp4" => "video/mp4",
        _ => null,
    };
}
