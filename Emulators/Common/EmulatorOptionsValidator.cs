using Microsoft.Extensions.Options;

namespace Emulators.Common;

/// <summary>
/// Checks each provider's settings at start, because data annotations do not reach into the Providers
/// dictionary and a typo in a fault setting should stop the emulator rather than fail every request.
/// </summary>
public sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        var failures = options.Providers
            .SelectMany(provider => provider.Value.Validate($"{EmulatorOptions.SectionName}:Providers:{provider.Key}"))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
