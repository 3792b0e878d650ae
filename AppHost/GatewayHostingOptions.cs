using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>How the AppHost runs the gateway. Bound from the "Gateway" section of the AppHost's configuration.</summary>
public sealed class GatewayHostingOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Gateway processes behind the one public endpoint. 1 by default: on a developer machine a second
    /// replica costs memory and start-up time and makes the dashboard's logs harder to follow, while the
    /// replicated setup is proven by the integration tests (IntegrationTests.Replicas). Set
    /// <c>Gateway:Replicas=2</c> (or <c>Gateway__Replicas=2</c>) to run several locally; Aspire then puts its
    /// proxy on the public port and gives each replica a port of its own.
    /// </summary>
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// Runs socket completions (Kestrel's and the upstream HttpClient's) on the socket engine's own threads
    /// instead of handing each to the thread pool (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>).
    /// </summary>
    public bool InlineSocketCompletions { get; set; }

    public static GatewayHostingOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<GatewayHostingOptions>() ?? new GatewayHostingOptions();
        if (options.Replicas < 1)
        {
            throw new InvalidOperationException($"{SectionName}:Replicas must be at least 1 (was {options.Replicas}).");
        }
        return options;
    }
}
