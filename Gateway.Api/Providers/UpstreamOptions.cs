using System.ComponentModel.DataAnnotations;

namespace Gateway.Api.Providers;

/// <summary>
/// Where inference goes. Every provider is the emulator (<c>{Emulator:BaseUrl}/providers/{slug}/v1</c>) unless
/// <see cref="Providers"/> names a real base URL and key for its slug.
/// </summary>
public sealed class UpstreamOptions
{
    public const string SectionName = "Upstreams";

    [Required]
    public EmulatorUpstream Emulator { get; set; } = new();

    /// <summary>Real providers by slug (from user secrets or environment): <c>Upstreams:Providers:deepseek:BaseUrl</c>.</summary>
    public Dictionary<string, ProviderUpstream> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public sealed class EmulatorUpstream
    {
        [Required]
        public Uri? BaseUrl { get; set; }
    }

    public sealed class ProviderUpstream
    {
        /// <summary>The OpenAI-style base URL, up to and including the version (<c>https://api.deepseek.com/v1</c>).</summary>
        public Uri? BaseUrl { get; set; }

        /// <summary>Sent as a bearer token.</summary>
        public string? ApiKey { get; set; }
    }
}
