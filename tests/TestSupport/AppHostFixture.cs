namespace TestSupport;

/// <summary>One running system shared by the tests of a collection: starting it is the slow part.</summary>
public class AppHostFixture : IAsyncLifetime
{
    /// <summary>
    /// A start that hangs (seen once on CI, inside the orchestrator's start) is tried again on a fresh data folder
    /// rather than failing every test of the collection; the first attempt's resource states still go to the log.
    /// </summary>
    private const int StartAttempts = 2;

    private string _dataDirectory = TestAppHost.NewDataDirectory();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app host has not started");

    /// <summary>Where this system keeps its data (Postgres cluster, Redis append-only file).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>What the services export as traces and logs (the dashboard's stand-in).</summary>
    public TelemetrySink Telemetry { get; } = new();

    public async ValueTask InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _app = await TestAppHost.StartAsync(_dataDirectory, builder =>
                {
                    Telemetry.Attach(builder);
                    Configure(builder);
                });
                return;
            }
            catch (AppHostStartTimeoutException ex) when (attempt < StartAttempts)
            {
                await Console.Error.WriteLineAsync($"{GetType().Name}: start attempt {attempt} failed, trying again. {ex.Message}");
                TestAppHost.TryDeleteDataDirectory(_dataDirectory);
                _dataDirectory = TestAppHost.NewDataDirectory();
            }
        }
    }

    /// <summary>Settings a derived fixture's system starts with, on top of the AppHost's own.</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await TestAppHost.StopAsync(_app);
        }
        await Telemetry.DisposeAsync();
        TestAppHost.DeleteDataDirectory(_dataDirectory);
    }

    /// <summary>A client for the gateway: the single public origin of the site and the API.</summary>
    public HttpClient CreateGatewayClient()
    {
        var client = App.CreateHttpClient("gateway");
        client.Timeout = TestAppHost.RequestTimeout;
        return client;
    }
}
