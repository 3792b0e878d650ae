using Emulators.Anthropic;
using Emulators.Common;
using Emulators.Control;
using Emulators.Exa;
using Emulators.Gemini;
using Emulators.Mail;
using Emulators.OpenAI;
using Emulators.Stripe;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Emulators;

public static class Extensions
{
    /// <summary>
    /// Emulator settings (validated at start), the provider registry, the clock that stamps and paces replies,
    /// the Stripe emulator and the SMTP mail sink.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorOptions>()
            .Bind(builder.Configuration.GetSection(EmulatorOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>());

        builder.Services.TryAddSingleton<EmulatedProviders>();
        builder.Services.TryAddSingleton<AnthropicPromptCache>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.AddStripeEmulator();
        builder.AddMailSink();
        return builder;
    }

    /// <summary>
    /// Every wire format twice: at the providers' own paths, and under <c>/providers/{provider}</c> so that each
    /// emulated provider can get its own base URL and its own latency and fault settings.
    /// </summary>
    public static IEndpointRouteBuilder MapEmulatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        MapWireFormats(endpoints);
        MapWireFormats(endpoints.MapGroup($"/providers/{{{EmulatedProviders.ProviderRouteValue}}}")
            .AddEndpointFilter(ProviderApiKeyCheck.InvokeAsync));
        endpoints.MapEmulatorControlApi();
        endpoints.MapExaEmulatorApi();

        // Stripe is not an LLM provider: it has one base URL and none of the latency or fault settings.
        endpoints.MapStripeEmulatorApi();
        endpoints.MapStripeEmulatorControlApi();

        // The development mail sink: what the portal's SMTP sender delivered.
        endpoints.MapMailSinkApi();
        return endpoints;
    }

    private static void MapWireFormats(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenAIEmulatorApi();
        endpoints.MapAnthropicEmulatorApi();
        endpoints.MapGeminiEmulatorApi();
    }
}
