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

    [Required]
    public InferenceTimeouts Timeouts { get; set; } = new();

    /// <summary>
    /// Separate limits for the phases of an upstream call. Until the first token the gateway may still fall
    /// back to another endpoint; the defaults leave room for reasoning models that think before answering.
    /// </summary>
    public sealed class InferenceTimeouts
    {
        /// <summary>From sending the request to the first streamed event.</summary>
        public TimeSpan FirstToken { get; set; } = TimeSpan.FromMinutes(3);

        /// <summary>The longest silence between two streamed events.</summary>
        public TimeSpan Idle { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>The whole request, streamed or not (keep it below the credit hold's lifetime).</summary>
        public TimeSpan Total { get; set; } = TimeSpan.FromMinutes(10);

        /// <summary>How often a waiting stream gets a <c>: OPENROUTER PROCESSING</c> comment.</summary>
        public TimeSpan ProcessingCommentInterval { get; set; } = TimeSpan.FromSeconds(1);
    }

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
