using System.Collections.Concurrent;
using Emulators.Common;
using Microsoft.Extensions.Options;

namespace Emulators.Stripe;

/// <summary>Where events are sent, and the secret their signatures are made with.</summary>
public sealed record WebhookEndpoint(string Id, string Url, string Secret, bool FromConfiguration);

/// <summary>A control API request to add an endpoint; without a secret one is generated (and returned).</summary>
public sealed record WebhookEndpointRegistration(string? Url, string? Secret);

/// <summary>The configured webhook endpoints plus those registered at runtime (which can also be removed).</summary>
public sealed class WebhookEndpoints(IOptions<StripeEmulatorOptions> options)
{
    private readonly IReadOnlyList<WebhookEndpoint> _configured =
        [.. options.Value.Webhooks.Select((webhook, index) => new WebhookEndpoint($"we_config_{index}", webhook.Url!, webhook.Secret!, FromConfiguration: true))];

    private readonly ConcurrentDictionary<string, WebhookEndpoint> _registered = new();

    public IReadOnlyList<WebhookEndpoint> All() => [.. _configured, .. _registered.Values.OrderBy(endpoint => endpoint.Id, StringComparer.Ordinal)];

    public WebhookEndpoint Register(string url, string? secret)
    {
        var endpoint = new WebhookEndpoint(RandomIds.Create("we_", 24), url, secret ?? RandomIds.Create("whsec_", 32), FromConfiguration: false);
        _registered[endpoint.Id] = endpoint;
        return endpoint;
    }

    /// <summary>Removes a runtime endpoint; configured ones stay for the emulator's lifetime.</summary>
    public bool Remove(string id) => _registered.TryRemove(id, out _);
}
