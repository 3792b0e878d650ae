using Stripe;

namespace UnitTests.Emulators;

/// <summary>
/// The emulator with its Stripe API, configured to send every event to the <see cref="MainEndpoint"/> of a real
/// webhook receiver, with fast retries; plus a Stripe.net client pointed at it the way Billing will be.
/// </summary>
public sealed class StripeEmulatorFixture : IAsyncLifetime
{
    public const string MainEndpoint = "main";
    public const string MainSecret = "whsec_configured_for_tests";
    public const string ApiKey = "sk_test_emulator";
    public const int MaxAttempts = 3;

    private StripeEmulatorServer? _server;

    public StripeWebhookReceiver Receiver { get; } = new();

    public HttpClient Client => _server!.Client;

    public StripeClient Stripe { get; private set; } = null!;

    /// <summary>Like a browser that stops at redirects, to see where the hosted pay page sends it.</summary>
    public HttpClient BrowserWithoutRedirects { get; private set; } = null!;

    /// <summary>What Billing will set as Stripe.net's ApiBase: the emulator's address plus <c>/stripe</c>.</summary>
    public string ApiBase => new Uri(Client.BaseAddress!, "stripe").ToString();

    public StripeClient ClientWithKey(string apiKey) =>
        new(new StripeClientOptions { ApiKey = apiKey, ApiBase = ApiBase });

    public async ValueTask InitializeAsync()
    {
        await Receiver.StartAsync(TestContext.Current.CancellationToken);
        _server = new StripeEmulatorServer(new Dictionary<string, string?>
        {
            ["Stripe:Webhooks:0:Url"] = Receiver.UrlFor(MainEndpoint),
            ["Stripe:Webhooks:0:Secret"] = MainSecret,
            ["Stripe:WebhookMaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stripe:WebhookFirstRetryDelayMs"] = "50",
        });
        await _server.InitializeAsync();
        Stripe = ClientWithKey(ApiKey);
        BrowserWithoutRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Client.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        BrowserWithoutRedirects?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        await Receiver.DisposeAsync();
    }

    private sealed class StripeEmulatorServer(IReadOnlyDictionary<string, string?> settings) : EmulatorServer
    {
        protected override IReadOnlyDictionary<string, string?> Settings => settings;
    }
}
