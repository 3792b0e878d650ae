using Billing.Service.Accounts;
using Billing.Service.Byok;
using Billing.Service.Data;
using Billing.Service.Generations;
using Billing.Service.Keys;
using Billing.Service.Ledger;
using Billing.Service.Payments;
using Billing.Service.RedisState;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stripe;
using CheckoutService = Billing.Service.Payments.CheckoutService;
using OpenRouterClone.Shared;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDbContext<BillingDbContext>("billingdb");
        builder.Services.AddMigration<BillingDbContext>();
        builder.AddRedisClient("redis");
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddSingleton<CreditStore>();
        builder.Services.AddScoped<LedgerService>();
        builder.Services.AddScoped<CreditSync>();
        builder.Services.AddScoped<UsageRecorder>();
        builder.Services.AddScoped<KeyService>();
        builder.Services.AddSingleton<KeyDirectory>();
        // Registered after the migration service, which finishes before any later hosted service starts.
        builder.Services.AddHostedService<RedisStateKeeper>();
        builder.Services.Configure<RedisStateOptions>(builder.Configuration.GetSection(RedisStateOptions.SectionName));
        builder.Services.AddHostedService<UsageEventConsumer>();
        builder.Services.Configure<UsageConsumerOptions>(builder.Configuration.GetSection(UsageConsumerOptions.SectionName));

        builder.AddStripePayments();

        // Bring-your-own-key secrets are encrypted with a key ring kept in billingdb, so that every replica
        // (and every restart) can decrypt them.
        builder.Services.AddDataProtection()
            .SetApplicationName("OpenRouterClone.Billing")
            .PersistKeysToDbContext<BillingDbContext>();
        builder.Services.AddScoped<ProviderKeyService>();

        builder.Services.Configure<InternalApiOptions>(builder.Configuration.GetSection(InternalApiOptions.SectionName));
        builder.Services.AddApiErrorHandling();
        builder.Services.AddOpenRouterJson(AccountsJsonContext.Default, KeysJsonContext.Default, CreditsJsonContext.Default,
            GenerationsJsonContext.Default, PaymentsJsonContext.Default, PortalUsageJsonContext.Default, ProviderKeysJsonContext.Default,
            Billing.Service.Admin.AdminReportsJsonContext.Default, AccountPreferencesJsonContext.Default);
    }

    /// <summary>
    /// Stripe Checkout top-ups: validated settings, one Stripe client for the process (its HTTP calls go through the
    /// service defaults' handlers, so an ApiBase like <c>http://emulators/stripe</c> resolves), checkout and webhooks.
    /// </summary>
    public static void AddStripePayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeOptions>()
            .Bind(builder.Configuration.GetSection(StripeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>());
        builder.Services.AddHttpClient(StripeHttpClientName);
        builder.Services.AddSingleton<IStripeClient>(services =>
        {
            var settings = services.GetRequiredService<IOptions<StripeOptions>>().Value;
            var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(StripeHttpClientName);
            var clientOptions = new StripeClientOptions { ApiKey = settings.SecretKey, HttpClient = new SystemNetHttpClient(http) };
            if (settings.ApiBase is { } apiBase)
            {
                clientOptions.ApiBase = apiBase.TrimEnd('/');
            }
            return new StripeClient(clientOptions);
        });
        builder.Services.AddScoped<CheckoutService>();
        builder.Services.AddScoped<StripeWebhookProcessor>();
    }

    private const string StripeHttpClientName = "Stripe";

    /// <summary>Only services holding the internal key (the portal) reach /internal.</summary>
    public static IApplicationBuilder UseInternalApiKey(this IApplicationBuilder app)
        => app.UseServiceKey(InternalApiOptions.BasePath, InternalApiOptions.HeaderName, "billing internal API",
            services => services.GetRequiredService<IOptionsMonitor<InternalApiOptions>>().CurrentValue.ApiKey);
}
