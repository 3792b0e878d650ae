using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>How much the services trace. Bound from the "Telemetry" section of the AppHost's configuration.</summary>
public sealed class TelemetryHostingOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The share of requests traced (0 to 1), as OpenTelemetry's <c>parentbased_traceidratio</c> sampler: a trace
    /// begun by a sampled request is kept whole across the services. Unset, Aspire's development default applies
    /// (every request traced). Under production load trace a sample (<c>Telemetry__TraceSampleRatio=0.01</c>): the
    /// collector otherwise receives a few spans per call. Metrics and logs are not sampled.
    /// </summary>
    public double? TraceSampleRatio { get; set; }

    public static TelemetryHostingOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<TelemetryHostingOptions>() ?? new TelemetryHostingOptions();
        if (options.TraceSampleRatio is < 0 or > 1)
        {
            throw new InvalidOperationException($"{SectionName}:TraceSampleRatio must be between 0 and 1 (was {options.TraceSampleRatio}).");
        }
        return options;
    }

    /// <summary>The OpenTelemetry SDK's own variables (read by every service's tracer), or none to keep the default.</summary>
    public IReadOnlyDictionary<string, string> SamplerEnvironment() => TraceSampleRatio is { } ratio
        ? new Dictionary<string, string>
        {
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = ratio.ToString(CultureInfo.InvariantCulture),
        }
        : new Dictionary<string, string>();
}
