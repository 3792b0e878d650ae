using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace TestSupport;

/// <summary>Per-provider emulator settings (latency, faults, the API key it accepts) that last until disposed.</summary>
public static class EmulatedProviderSettings
{
    /// <summary>Applies <paramref name="settings"/> to one emulated provider; disposing the result restores its defaults.</summary>
    public static async Task<IAsyncDisposable> ApplyAsync(DistributedApplication app, string provider, object settings)
    {
        var emulators = app.CreateHttpClient("emulators");
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        var applied = await emulators.PutAsJsonAsync($"/emulator/providers/{provider}", settings, timeout.Token);
        if (applied.StatusCode != HttpStatusCode.OK)
        {
            emulators.Dispose();
            throw new InvalidOperationException($"The emulator refused the settings for {provider}: {(int)applied.StatusCode} {await applied.Content.ReadAsStringAsync()}");
        }
        return new Restore(emulators, provider);
    }

    private sealed class Restore(HttpClient emulators, string provider) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
            await emulators.DeleteAsync($"/emulator/providers/{provider}", timeout.Token);
            emulators.Dispose();
        }
    }
}
