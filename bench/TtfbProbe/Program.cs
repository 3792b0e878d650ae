using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

// Time to first byte of a streamed answer, one request at a time over one kept-alive connection:
//   TtfbProbe <url> <body.json> <requests> [bearer-key]
// For each request it takes the time from just before sending to the arrival of the first "data:" byte of the
// body (the first server-sent event, so SSE comments such as ": OPENROUTER PROCESSING" and early headers do not
// count), and to the end of the stream. A tenth of the requests (at least 20) run first as warm-up. Prints one line:
//   TTFB n=<ok> failed=<n> p50_us=.. p90_us=.. p99_us=.. mean_us=.. headers_p50_us=.. full_p50_us=..
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: TtfbProbe <url> <body.json> <requests> [bearer-key]");
    return 2;
}

var url = new Uri(args[0]);
var body = File.ReadAllBytes(args[1]);
var requests = int.Parse(args[2], CultureInfo.InvariantCulture);
var key = args.Length > 3 && args[3].Length > 0 ? args[3] : null;
var warmup = Math.Max(20, requests / 10);

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
{
    Timeout = TimeSpan.FromSeconds(30),
};
var marker = "data:"u8.ToArray();
var buffer = new byte[64 * 1024];
var firstEvent = new List<double>(requests);
var headers = new List<double>(requests);
var full = new List<double>(requests);
var failed = 0;

for (var i = 0; i < warmup + requests; i++)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    if (key is not null)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    var start = Stopwatch.GetTimestamp();
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    var headersAt = Stopwatch.GetTimestamp();
    await using var stream = await response.Content.ReadAsStreamAsync();
    long firstAt = 0;
    var matched = 0; // bytes of "data:" matched so far, across reads
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0)
    {
        if (firstAt != 0)
        {
            continue;
        }
        for (var j = 0; j < read && firstAt == 0; j++)
        {
            matched = buffer[j] == marker[matched] ? matched + 1 : buffer[j] == marker[0] ? 1 : 0;
            if (matched == marker.Length)
            {
                firstAt = Stopwatch.GetTimestamp();
            }
        }
    }
    var endAt = Stopwatch.GetTimestamp();

    if (!response.IsSuccessStatusCode || firstAt == 0)
    {
        failed++;
        if (failed <= 3)
        {
            Console.Error.WriteLine($"request {i}: HTTP {(int)response.StatusCode}{(firstAt == 0 ? ", no data event" : "")}");
        }
        continue;
    }
    if (i >= warmup)
    {
        firstEvent.Add(Stopwatch.GetElapsedTime(start, firstAt).TotalMicroseconds);
        headers.Add(Stopwatch.GetElapsedTime(start, headersAt).TotalMicroseconds);
        full.Add(Stopwatch.GetElapsedTime(start, endAt).TotalMicroseconds);
    }
}

static double Percentile(List<double> values, double p)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }
    var sorted = values.Order().ToArray();
    var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
}

var line = new StringBuilder("TTFB");
line.Append(CultureInfo.InvariantCulture, $" n={firstEvent.Count} failed={failed}");
line.Append(CultureInfo.InvariantCulture, $" p50_us={Percentile(firstEvent, 50):F0} p90_us={Percentile(firstEvent, 90):F0} p99_us={Percentile(firstEvent, 99):F0}");
line.Append(CultureInfo.InvariantCulture, $" mean_us={(firstEvent.Count == 0 ? double.NaN : firstEvent.Average()):F0}");
line.Append(CultureInfo.InvariantCulture, $" headers_p50_us={Percentile(headers, 50):F0} full_p50_us={Percentile(full, 50):F0}");
Console.WriteLine(line);
return failed == 0 ? 0 : 1;
