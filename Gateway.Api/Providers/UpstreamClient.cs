using Microsoft.Extensions.Options;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared;

namespace Gateway.Api.Providers;

/// <summary>Typed client for every upstream: a configured real provider, else that provider on the emulator.</summary>
public sealed class UpstreamClient(HttpClient httpClient, IOptions<UpstreamOptions> options)
{
    /// <summary>The relay's own first-token, idle and total timeouts govern: HttpClient's 100 s default would cut a non-streamed reasoning answer short.</summary>
    public static void Configure(HttpClient client) => client.Timeout = Timeout.InfiniteTimeSpan;

    /// <summary>The connections every upstream call goes over (one handler for the process, never rebuilt).</summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        // Callers share the handler: cookies one provider sets for one caller must never go out with another's request.
        UseCookies = false,
        // A provider answers where it was asked; following a redirect would send the prompt and the key elsewhere.
        AllowAutoRedirect = false,
        // New DNS answers arrive by recycling each connection, not by rebuilding the handler with all its pooled
        // connections (the client factory's default every two minutes).
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        EnableMultipleHttp2Connections = true,
    };

    /// <summary>
    /// The provider's versioned API base and key: <c>Upstreams:Providers:{slug}</c> when configured (with only a
    /// key, the base URL the catalog gives the provider), else the emulator's stand-in for it
    /// (<c>/providers/{slug}/v1</c>, or <c>/v1beta</c> for Gemini).
    /// </summary>
    public static UpstreamTarget TargetFor(UpstreamOptions options, SnapshotProvider provider)
    {
        if (options.Providers.TryGetValue(provider.Slug, out var real)
            && (real.BaseUrl ?? (real.ApiKey is { Length: > 0 } && Uri.TryCreate(provider.BaseUrl, UriKind.Absolute, out var catalogUrl) ? catalogUrl : null)) is { } baseUrl)
        {
            return new UpstreamTarget(baseUrl, real.ApiKey);
        }
        var version = provider.WireFormat == SnapshotWireFormats.GeminiGenerateContent ? "v1beta" : "v1";
        var emulator = options.Emulator.BaseUrl!.ToString().TrimEnd('/');
        return new UpstreamTarget(new Uri($"{emulator}/providers/{Uri.EscapeDataString(provider.Slug)}/{version}"), null);
    }

    /// <summary>The provider's target, called with the caller's own key when they brought one (BYOK).</summary>
    public UpstreamTarget TargetFor(SnapshotProvider provider, ByokSecret? byok)
    {
        var target = TargetFor(options.Value, provider);
        return byok is null ? target : target with { ApiKey = byok.ApiKey };
    }

    /// <summary>
    /// Sends a request and returns as soon as the response headers arrive, so that a streamed body can be
    /// relayed event by event. The caller owns (and must dispose) the response.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}
