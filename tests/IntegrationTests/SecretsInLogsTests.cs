using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests;

/// <summary>
/// Secrets pass through every service (API keys to the gateway and billing, provider keys to billing and on to
/// providers) and must never be written to a log or exported as telemetry: after calls that succeed, fail,
/// fall back and are refused, no service's console log, and no trace or log record it exported, holds any of them.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SecretsInLogsTests(AppHostFixture fixture)
{
    private static readonly string[] OurServices = ["gateway", "billing", "catalog", "portal"];

    private static readonly TimeSpan TelemetryDelay = TimeSpan.FromSeconds(30);

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task No_api_key_or_provider_key_appears_in_any_service_log_or_trace()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 2);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "secret keeping");
        var providerSecret = $"sk-provider-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "mistral", new { api_key = providerSecret })).StatusCode);

        using var emulators = fixture.App.CreateHttpClient("emulators");
        // The provider refuses the user's key, so the gateway meets (and must not log) it on a failure path.
        var refusing = await emulators.PutAsJsonAsync("/emulator/providers/mistral", new { apiKey = "some-other-key" }, Timeout);
        Assert.Equal(HttpStatusCode.OK, refusing.StatusCode);
        string generationId;
        var marker = $"pasted-{Guid.NewGuid():N}";
        try
        {
            using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
            var fellBack = await gateway.PostAsync("/api/v1/chat/completions", Chat("mistralai/mistral-nemo"), Timeout);
            Assert.Equal(HttpStatusCode.OK, fellBack.StatusCode);
            var streamed = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini", stream: true), Timeout);
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            generationId = streamed.Headers.GetValues("X-Generation-Id").Single();
            await streamed.Content.ReadAsStringAsync(Timeout);
            // A key pasted into a query string by mistake is a secret too: URLs go into spans and request logs.
            var pasted = await gateway.GetAsync($"/api/v1/models/{marker}/model/endpoints?api_key={key.Secret}", Timeout);
            Assert.Equal(HttpStatusCode.NotFound, pasted.StatusCode);
            var bad = await gateway.PostAsync("/api/v1/chat/completions", new StringContent("{\"model\": 5", Encoding.UTF8, "application/json"), Timeout);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        finally
        {
            await emulators.DeleteAsync("/emulator/providers/mistral", Timeout);
        }

        // A disabled key presented again, and keys management with the provisioning key.
        using (var provisioning = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await provisioning.PatchAsJsonAsync($"/api/v1/keys/{key.Hash}", new { disabled = true }, Timeout)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await provisioning.GetAsync("/api/v1/keys", Timeout)).StatusCode);
        }
        using (var disabled = TestAccounts.CreateGatewayClient(fixture.App, key.Secret))
        {
            await WaitUntilRefusedAsync(disabled);
        }

        // The exported traces reached the sink (the request's span is tagged with its generation id), so the
        // check below covers them; exports are batched, hence the wait.
        await fixture.Telemetry.WaitForAsync(TelemetrySink.Traces, generationId, TelemetryDelay);
        // The pasted key's request, from the gateway and from the catalog it was forwarded to.
        await fixture.Telemetry.WaitForAsync(TelemetrySink.Traces, marker, TelemetryDelay, payloads: 2);
        Assert.True(fixture.Telemetry.Count(TelemetrySink.Logs) > 0, "no service exported a log record");
        foreach (var secret in new[] { key.Secret, owner.ProvisioningKey, providerSecret })
        {
            foreach (var signal in new[] { TelemetrySink.Traces, TelemetrySink.Logs })
            {
                var exported = fixture.Telemetry.ExcerptAround(signal, secret[^24..]);
                Assert.True(exported is null, $"a secret was exported in {signal}: {exported}");
            }
        }

        var logs = await ReadLogsAsync();
        // Something was logged (requests, start-up), or the check would prove nothing.
        Assert.All(OurServices, service => Assert.NotEmpty(logs[service]));
        foreach (var lines in logs.Values)
        {
            foreach (var secret in new[] { key.Secret, owner.ProvisioningKey, providerSecret })
            {
                Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
                // Not even the part after the well-known prefix.
                Assert.DoesNotContain(lines, line => line.Contains(secret[^24..], StringComparison.Ordinal));
            }
        }
    }

    private static StringContent Chat(string model, bool stream = false)
        => new(JsonSerializer.Serialize(new { model, stream, messages = new[] { new { role = "user", content = "keep it secret" } } }),
            Encoding.UTF8, "application/json");

    private static async Task WaitUntilRefusedAsync(HttpClient gateway)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while ((await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout)).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the disabled key kept working");
            await Task.Delay(100, Timeout);
        }
    }

    /// <summary>Everything each of our services has written to its console log so far.</summary>
    private async Task<Dictionary<string, List<string>>> ReadLogsAsync()
    {
        var loggers = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var logs = new Dictionary<string, List<string>>();
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        foreach (var resource in model.Resources.Where(resource => OurServices.Contains(resource.Name)))
        {
            var lines = new List<string>();
            await foreach (var batch in loggers.GetAllAsync(resource).WithCancellation(timeout.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
            }
            logs[resource.Name] = lines;
        }
        return logs;
    }
}
