using Billing.Service.Accounts;
using Billing.Service.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenRouterClone.Shared;

namespace Billing.Service.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<BillingDbContext>("billingdb");
        builder.Services.AddMigration<BillingDbContext>();
        builder.AddRedisClient("redis");
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddOpenRouterJson(AccountsJsonContext.Default);
    }
}
