using Emulators.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Emulators;

public static class Extensions
{
    /// <summary>Emulator settings (validated at start) and the clock that stamps and paces replies.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorOptions>()
            .Bind(builder.Configuration.GetSection(EmulatorOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);

        return builder;
    }
}
