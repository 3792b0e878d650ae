using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Emulators.Stripe;

public static class StripeEmulatorExtensions
{
    /// <summary>The Stripe emulator's settings (validated at start), its in-memory state and the webhook sender.</summary>
    public static IHostApplicationBuilder AddStripeEmulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeEmulatorOptions>()
            .Bind(builder.Configuration.GetSection(StripeEmulatorOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeEmulatorOptions>, StripeEmulatorOptionsValidator>());

        builder.Services.TryAddSingleton<WebhookEndpoints>();
        builder.Services.TryAddSingleton<WebhookDeliveryQueue>();
        builder.Services.TryAddSingleton<WebhookDeliveryLog>();
        builder.Services.TryAddSingleton<StripeEvents>();
        builder.Services.TryAddSingleton<Payments>();
        builder.Services.TryAddSingleton<CheckoutSessions>();
        builder.Services.TryAddSingleton<IdempotentRequests>();
        builder.Services.AddHostedService<WebhookDeliveryService>();

        // The delivery service retries with its own schedule and records every attempt; the service defaults'
        // retries would multiply and hide them. Service discovery stays, so a URL like http://billing-service works.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way out.
        builder.Services.AddHttpClient(WebhookDeliveryService.HttpClientName, (services, http) =>
                http.Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<StripeEmulatorOptions>>().Value.WebhookTimeoutSeconds))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        return builder;
    }
}
