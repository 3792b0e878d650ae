using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace TestSupport;

/// <summary>
/// An OTLP/HTTP receiver standing in for the Aspire dashboard: every service of a test system exports its
/// traces and logs here (protobuf, as the dashboard receives them), so tests can check what leaves a
/// service as telemetry. Protobuf writes strings as plain UTF-8, so a search of the raw payloads finds any
/// text a span or log record carries without decoding them.
/// </summary>
public sealed class TelemetrySink : IAsyncDisposable
{
    /// <summary>The signals kept; metrics are answered and dropped (numbers, and far the largest volume).</summary>
    public const string Traces = "/v1/traces";
    public const string Logs = "/v1/logs";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Signal, byte[] Payload)> _payloads = new();
    private readonly Task _receiving;

    public TelemetrySink()
    {
        Endpoint = new Uri($"http://127.0.0.1:{FreePort()}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _receiving = Task.Run(ReceiveAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Points every project of the system at this sink instead of the (absent) dashboard.</summary>
    public void Attach(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint.ToString().TrimEnd('/'))
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        }
    }

    /// <summary>Whether any payload of <paramref name="signal"/> received so far contains <paramref name="text"/>.</summary>
    public bool Contains(string signal, string text) => CountContaining(signal, text) > 0;

    /// <summary>How many payloads of <paramref name="signal"/> (each one export from one service) contain <paramref name="text"/>.</summary>
    public int CountContaining(string signal, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _payloads.Count(payload => payload.Signal == signal && payload.Payload.AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>The printable text around the first mention of <paramref name="text"/>, for a failure message; null when none.</summary>
    public string? ExcerptAround(string signal, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        foreach (var (payloadSignal, payload) in _payloads)
        {
            var at = payloadSignal == signal ? payload.AsSpan().IndexOf(needle) : -1;
            if (at >= 0)
            {
                var start = Math.Max(0, at - 300);
                var excerpt = Encoding.UTF8.GetString(payload, start, Math.Min(payload.Length, at + needle.Length + 100) - start);
                return new string([.. excerpt.Select(c => char.IsControl(c) ? ' ' : c)]);
            }
        }
        return null;
    }

    /// <summary>How many payloads of <paramref name="signal"/> have arrived.</summary>
    public int Count(string signal) => _payloads.Count(payload => payload.Signal == signal);

    /// <summary>Waits until <paramref name="payloads"/> payloads of <paramref name="signal"/> contain <paramref name="text"/> (exports are batched every second or so).</summary>
    public async Task WaitForAsync(string signal, string text, TimeSpan timeout, int payloads = 1)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (CountContaining(signal, text) < payloads)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"No {signal} payload mentioning '{text}' arrived within {timeout}");
            }
            await Task.Delay(200);
        }
    }

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var signal = context.Request.Url?.AbsolutePath ?? "";
                if (signal is Traces or Logs)
                {
                    _payloads.Enqueue((signal, body.ToArray()));
                }
                // An empty protobuf body is a valid Export*ServiceResponse: everything accepted.
                context.Response.StatusCode = (int)HttpStatusCode.OK;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException)
            {
                // The exporting service went away mid-request; it retries or it is stopping.
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _receiving;
    }
}
