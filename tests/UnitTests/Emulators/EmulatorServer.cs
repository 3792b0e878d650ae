using Emulators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace UnitTests.Emulators;

/// <summary>
/// The emulator's services and endpoints hosted in-process on a free loopback port, so HTTP behaviour can be
/// tested without extra packages. Service defaults are left out: telemetry plays no part in these tests.
/// Subclasses add configuration (per-provider settings) through <see cref="Settings"/>.
/// </summary>
public class EmulatorServer : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.AddApplicationServices();

        _app = builder.Build();
        _app.MapEmulatorEndpoints();
        await _app.StartAsync(TestContext.Current.CancellationToken);

        // Kestrel replaces port 0 with the port it actually bound.
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
