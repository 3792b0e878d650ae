using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Portal.Web.Billing;

namespace Portal.Web.Admin;

public static class AdminExtensions
{
    /// <summary>The admin area's services: the seeded administrator's options, the admin API clients, users and health.</summary>
    public static void AddAdministration(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.SectionName));
        builder.Services.Configure<ServiceHealthOptions>(builder.Configuration.GetSection(ServiceHealthOptions.SectionName));
        builder.Services.Configure<CatalogAdminOptions>(builder.Configuration.GetSection(CatalogAdminOptions.SectionName));

        // Edits are not blindly retried by the service defaults' handler: a replayed PATCH is harmless, but a retried
        // disable/enable after a timeout could land after a later opposite click.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is still marked experimental.
        builder.Services.AddHttpClient<ICatalogAdminClient, CatalogAdminClient>((services, http) =>
            {
                http.BaseAddress = services.GetRequiredService<IOptions<Catalog.CatalogOptions>>().Value.BaseUrl;
                http.DefaultRequestHeaders.Add(CatalogAdminOptions.ApiKeyHeader,
                    services.GetRequiredService<IOptions<CatalogAdminOptions>>().Value.ApiKey);
            })
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());

        builder.Services.AddHttpClient<IBillingAdminClient, BillingAdminClient>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<BillingOptions>>().Value;
                http.BaseAddress = options.BaseUrl;
                http.DefaultRequestHeaders.Add(BillingOptions.InternalApiKeyHeader, options.InternalApiKey);
            })
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());

        // Health probes report what they see: no retries, the probe has its own timeout.
        builder.Services.AddHttpClient(ServiceHealthProbe.ClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // Locking a user or changing their role renews their security stamp; sign-ins re-check it this often.
        builder.Services.Configure<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>(
            options => options.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddSingleton<IUserAdministration, UserAdministration>();
        builder.Services.AddSingleton<IServiceHealthProbe, ServiceHealthProbe>();
        builder.Services.AddHostedService<AdminAccountOpener>();
    }
}
