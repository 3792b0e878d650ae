using System.ComponentModel.DataAnnotations;

namespace Gateway.Api.Providers;

/// <summary>Where inference goes. Until real provider keys are configured, every provider is the emulator.</summary>
public sealed class UpstreamOptions
{
    public const string SectionName = "Upstreams";

    [Required]
    public EmulatorUpstream Emulator { get; set; } = new();

    public sealed class EmulatorUpstream
    {
        [Required]
        public Uri? BaseUrl { get; set; }
    }
}
