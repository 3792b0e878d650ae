using Gateway.Api.Byok;
using Gateway.Api.Credits;
using Gateway.Api.Inference;
using Gateway.Api.Keys;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Gateway.Api.Providers;
using Gateway.Api.Preferences;
using Gateway.Api.Routing;
using Gateway.Api.Telemetry;
using Gateway.Api.WebSearch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using OpenRouterClone.Shared;
using OpenRouterClone.Shared.Credits;

namespace Gateway.Api.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Fail fast while Redis is away: the default backlog holds each command until a reconnect or its 5 s
        // timeout, which kept every refusal waiting. Callers already treat RedisConnectionException as "unavailable"
        // (503 on the hot path, retry in the background loops), and the multiplexer still reconnects by itself.
        builder.AddRedisClient("redis", configureOptions: options => options.BacklogPolicy = StackExchange.Redis.BacklogPolicy.FailFast);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyResolver>();
        builder.Services.AddHostedService<KeyChangeListener>();
        builder.Services.AddSingleton<CatalogSnapshotCache>();
        builder.Services.AddSingleton<EndpointHealth>();
        builder.Services.AddOptions<CircuitBreakerOptions>()
            .Bind(builder.Configuration.GetSection(CircuitBreakerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<CircuitBreakerSync>();
        builder.Services.AddHostedService<CatalogSnapshotLoader>();
        builder.Services.AddSingleton<EndpointOutcomes>();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddHostedService<EndpointOutcomePublisher>();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        builder.Services.AddOptions<UpstreamOptions>()
            .Bind(builder.Configuration.GetSection(UpstreamOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Inference calls stream for minutes and must never be replayed after output began: the
        // standard internal-call retries and timeouts from the service defaults do not fit them.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way out.
        // The factory's per-request log lines and scopes cost more than they tell: failures are logged by the relay.
        builder.Services.AddHttpClient<UpstreamClient>(UpstreamClient.Configure)
            .ConfigurePrimaryHttpMessageHandler(UpstreamClient.CreatePrimaryHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001

        builder.Services.AddOptions<WebSearchOptions>()
            .Bind(builder.Configuration.GetSection(WebSearchOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The search is on the request path before the model call: its own timeout (WebSearch:Timeout), no retries
        // (a slow search is refused, not repeated).
#pragma warning disable EXTEXP0001 // See above.
        builder.Services.AddHttpClient<WebSearchClient>()
            .ConfigurePrimaryHttpMessageHandler(WebSearchClient.CreatePrimaryHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // One set for every inference call, not sixteen services resolved per request. It may hold the two typed
        // clients for the process's life because their handlers are never rotated (connections recycle instead).
        builder.Services.AddSingleton<InferenceApi.InferenceServices>();

        builder.Services.AddSingleton<IWireAdapter, OpenAIChatAdapter>();
        builder.Services.AddSingleton<IWireAdapter, AnthropicMessagesAdapter>();
        builder.Services.AddSingleton<IWireAdapter, GeminiAdapter>();
        builder.Services.AddSingleton<WireAdapters>();

        builder.Services.AddSingleton<CreditStore>();
        builder.Services.AddHostedService<TokenizerWarmup>();
        builder.Services.AddSingleton<SettlementBatches>();
        builder.Services.AddSingleton<CreditGate>();
        builder.Services.AddSingleton<CreditLeases>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CreditLeases>());
        builder.Services.AddSingleton<LateSettlements>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LateSettlements>());
        builder.Services.AddOptions<CreditOptions>()
            .Bind(builder.Configuration.GetSection(CreditOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<BillingOptions>()
            .Bind(builder.Configuration.GetSection(BillingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Both talk to billing's internal API: its address and service key are set once, here.
        static void ConfigureBillingClient(IServiceProvider services, HttpClient client)
        {
            var billing = services.GetRequiredService<IOptions<BillingOptions>>().Value;
            client.BaseAddress = billing.BaseUrl;
            client.DefaultRequestHeaders.Add(BillingOptions.InternalKeyHeader, billing.InternalApiKey);
        }
        // On the request path: one quick retry within a tight budget, not the defaults' 30 seconds.
#pragma warning disable EXTEXP0001 // See above: replacing the defaults' handler is the documented way.
        static void WithinHotPathBudget(IHttpClientBuilder client) => client
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("billing-hot-path", (pipeline, context) =>
            {
                var budget = context.ServiceProvider.GetRequiredService<IOptions<BillingOptions>>().Value.HotPathTimeout;
                pipeline
                    .AddTimeout(budget)
                    .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 1, Delay = TimeSpan.FromMilliseconds(50) })
                    .AddTimeout(budget / 2);
            });
#pragma warning restore EXTEXP0001
        WithinHotPathBudget(builder.Services.AddHttpClient<BillingSyncClient>(ConfigureBillingClient));
        WithinHotPathBudget(builder.Services.AddHttpClient<ByokClient>(ConfigureBillingClient));
        builder.Services.AddSingleton<ByokKeyring>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ByokKeyring>());
        WithinHotPathBudget(builder.Services.AddHttpClient<PreferencesClient>(ConfigureBillingClient));
        builder.Services.AddSingleton<AccountPreferencesCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AccountPreferencesCache>());
        builder.Services.AddOptions<CatalogApiOptions>().Bind(builder.Configuration.GetSection(CatalogApiOptions.SectionName));
        builder.Services.AddHttpClient<CatalogModelsClient>((services, client) =>
            client.BaseAddress = services.GetRequiredService<IOptions<CatalogApiOptions>>().Value.BaseUrl);

        builder.Services.AddApiErrorHandling();
        builder.Services.AddOpenRouterJson(InferenceJsonContext.Default, AccountPreferencesJsonContext.Default);
    }

    /// <summary>
    /// Unknown API paths get OpenRouter's JSON error instead of falling through to the portal's HTML 404.
    /// </summary>
    public static IEndpointRouteBuilder MapUnknownApiFallback(this IEndpointRouteBuilder app)
    {
        app.Map("/api/{**path}", JsonHttpResult<ErrorResponse> (string? path) =>
            ApiError.NotFound($"No API endpoint at /api/{path}"));
        return app;
    }
}
