using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UnitTests.Emulators;

/// <summary>A webhook as the receiver got it: which endpoint path, the raw body and the Stripe-Signature header.</summary>
public sealed record ReceivedWebhook(string Endpoint, string Body, string Signature)
{
    public string EventId => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("id").GetString()!;

    public string ObjectId => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("data").GetProperty("object").GetProperty("id").GetString()!;
}

/// <summary>
/// A real HTTP listener (Kestrel on a free loopback port) standing in for Billing's webhook endpoint. Each path
/// under <c>/webhooks/{endpoint}</c> is an endpoint; one can be told to fail its first N requests with 500.
/// </summary>
public sealed class StripeWebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public string UrlFor(string endpoint) => $"{BaseUrl}/webhooks/{endpoint}";

    /// <summary>The next <paramref name="count"/> requests to <paramref name="endpoint"/> get 500 (received all the same).</summary>
    public void FailNext(string endpoint, int count) => _failuresLeft[endpoint] = count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/webhooks/{endpoint}", async (string endpoint, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            _received.Enqueue(new ReceivedWebhook(endpoint, await reader.ReadToEndAsync(), request.Headers["Stripe-Signature"].ToString()));
            // Counts down past zero: a request fails while the count it leaves is still 0 or more.
            var failing = _failuresLeft.AddOrUpdate(endpoint, -1, (_, left) => left - 1) >= 0;
            return failing ? Results.StatusCode(StatusCodes.Status500InternalServerError) : Results.Ok();
        });
        await _app.StartAsync(cancellationToken);
        BaseUrl = _app.Urls.Single();
    }

    public IReadOnlyList<ReceivedWebhook> Received(string endpoint) => [.. _received.Where(webhook => webhook.Endpoint == endpoint)];

    /// <summary>Waits until <paramref name="endpoint"/> has received <paramref name="count"/> webhooks matching the filter.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(
        string endpoint, Func<ReceivedWebhook, bool> filter, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var matching = Received(endpoint).Where(filter).ToList();
            if (matching.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(matching.Count >= count, $"{endpoint} received {matching.Count} matching webhooks, expected {count}.");
                return matching;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
