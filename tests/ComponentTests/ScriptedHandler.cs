using System.Net;
using System.Text;

namespace ComponentTests;

/// <summary>A service that answers every request with one scripted status and body (or fails), recording the request.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly HttpStatusCode _status;
    private readonly string _body = "";
    private readonly Exception? _failure;

    public ScriptedHandler(HttpStatusCode status, string body) => (_status, _body) = (status, body);

    public ScriptedHandler(Exception failure) => _failure = failure;

    public HttpMethod? Method { get; private set; }
    public string? Uri { get; private set; }
    public string? Body { get; private set; }
    public IReadOnlyDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Method = request.Method;
        Uri = request.RequestUri?.AbsoluteUri;
        Headers = request.Headers.ToDictionary(header => header.Key, header => string.Join(",", header.Value), StringComparer.OrdinalIgnoreCase);
        Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        if (_failure is not null)
        {
            throw _failure;
        }
        return new HttpResponseMessage(_status) { Content = new StringContent(_body, Encoding.UTF8, "application/json") };
    }
}
