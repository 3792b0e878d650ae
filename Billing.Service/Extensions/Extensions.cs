using Billing.Service.Accounts;
using Billing.Service.Data;
using Billing.Service.Generations;
using Billing.Service.Keys;
using Billing.Service.Ledger;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<BillingDbContext>("billingdb");
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
        builder.Services.AddHostedService<KeyDirectoryRebuilder>();
        builder.Services.AddHostedService<CreditCacheLoader>();
        builder.Services.AddHostedService<UsageEventConsumer>();
        builder.Services.Configure<UsageConsumerOptions>(builder.Configuration.GetSection(UsageConsumerOptions.SectionName));

        builder.Services.Configure<InternalApiOptions>(builder.Configuration.GetSection(InternalApiOptions.SectionName));
        builder.Services.AddApiErrorHandling();
        builder.Services.AddOpenRouterJson(AccountsJsonContext.Default, KeysJsonContext.Default, CreditsJsonContext.Default, GenerationsJsonContext.Default, PortalUsageJsonContext.Default);
    }

    /// <summary>Only services holding the internal key (the portal) reach /internal.</summary>
    public static IApplicationBuilder UseInternalApiKey(this IApplicationBuilder app)
        => app.UseServiceKey(InternalApiOptions.BasePath, InternalApiOptions.HeaderName, "billing internal API",
            services => services.GetRequiredService<IOptionsMonitor<InternalApiOptions>>().CurrentValue.ApiKey);
}
