using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Emulators.Common;

/// <summary>
/// Which emulated provider a request is for, and that provider's settings: configuration
/// (<c>Emulator:Providers:&lt;name&gt;</c>), replaced while running by settings put through the control API so a
/// test can make a provider fail and recover without restarting the emulator.
/// </summary>
public sealed class EmulatedProviders(IOptionsMonitor<EmulatorOptions> options)
{
    /// <summary>Names the emulated provider when the route has no <c>/providers/{name}</c> prefix.</summary>
    public const string ProviderHeader = "X-Emulator-Provider";

    /// <summary>The route value of the <c>/providers/{provider}</c> prefix.</summary>
    public const string ProviderRouteValue = "provider";

    private readonly ConcurrentDictionary<string, EmulatedProviderOptions> _overrides = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The provider named by the route prefix, else by the header; null for the emulator-wide defaults.</summary>
    public static string? NameFrom(HttpContext context)
    {
        if (context.GetRouteValue(ProviderRouteValue) is string fromRoute && fromRoute.Length > 0)
        {
            return fromRoute;
        }
        var fromHeader = context.Request.Headers[ProviderHeader].ToString();
        return string.IsNullOrWhiteSpace(fromHeader) ? null : fromHeader.Trim();
    }

    /// <summary>The request's latency and fault: its provider's profile with the request's test headers applied.</summary>
    public bool TryGetDirectives(
        HttpContext context,
        [NotNullWhen(true)] out EmulatorDirectives? directives,
        [NotNullWhen(false)] out string? error) =>
        EmulatorDirectives.TryParse(context.Request.Headers, ProfileFor(NameFrom(context)), out directives, out error);

    public EmulatorProfile ProfileFor(string? provider)
    {
        var current = options.CurrentValue;
        return provider is not null && _overrides.TryGetValue(provider, out var runtime)
            ? EmulatorProfile.Create(current, runtime)
            : current.ProfileFor(provider);
    }

    /// <summary>The only key the provider accepts, or null when it accepts any.</summary>
    public string? RequiredApiKey(string provider)
        => (_overrides.TryGetValue(provider, out var runtime) ? runtime
            : options.CurrentValue.Providers.GetValueOrDefault(provider))?.ApiKey;

    /// <summary>Every provider with settings, the runtime ones in place of configured ones.</summary>
    public IReadOnlyDictionary<string, EmulatedProviderOptions> Settings()
    {
        var settings = new Dictionary<string, EmulatedProviderOptions>(options.CurrentValue.Providers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, runtime) in _overrides)
        {
            settings[name] = runtime;
        }
        return settings;
    }

    /// <returns>The problems with the settings; when there are any, nothing changes.</returns>
    public IReadOnlyList<string> Override(string provider, EmulatedProviderOptions settings)
    {
        var problems = settings.Validate(provider).ToList();
        if (problems.Count == 0)
        {
            _overrides[provider] = settings;
        }
        return problems;
    }

    /// <summary>Drops the runtime settings, so the provider's configured ones (if any) apply again.</summary>
    public bool Reset(string provider) => _overrides.TryRemove(provider, out _);
}
