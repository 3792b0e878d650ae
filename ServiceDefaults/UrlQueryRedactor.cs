using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Replaces every query-string value in a span's URL tags with <c>Redacted</c> before it is exported: a
/// caller may paste an API key into a query string, and the server and client spans (ours and YARP's
/// forwarding) would otherwise carry it to the telemetry backend. Parameter names stay, so traces still
/// show which parameters a request used.
/// </summary>
public sealed class UrlQueryRedactor : BaseProcessor<Activity>
{
    private static readonly string[] UrlTags = ["url.query", "url.full", "http.url", "http.target"];

    public override void OnEnd(Activity activity)
    {
        foreach (var tag in UrlTags)
        {
            // url.query holds the query alone; the other tags a whole URL, which may have none.
            if (activity.GetTagItem(tag) is string { Length: > 0 } value && (tag == "url.query" || value.Contains('?')))
            {
                activity.SetTag(tag, Redact(value));
            }
        }
    }

    /// <summary>A URL or a bare query (with or without its <c>?</c>) with each value replaced.</summary>
    public static string Redact(string urlOrQuery)
    {
        var questionMark = urlOrQuery.IndexOf('?');
        var prefix = questionMark >= 0 ? urlOrQuery[..(questionMark + 1)] : "";
        var query = questionMark >= 0 ? urlOrQuery[(questionMark + 1)..] : urlOrQuery;
        var fragment = query.IndexOf('#');
        var suffix = fragment >= 0 ? query[fragment..] : "";
        query = fragment >= 0 ? query[..fragment] : query;
        var parameters = query.Split('&').Select(parameter =>
            parameter.IndexOf('=') is var equals and >= 0 ? parameter[..(equals + 1)] + "Redacted" : parameter);
        return prefix + string.Join('&', parameters) + suffix;
    }
}
