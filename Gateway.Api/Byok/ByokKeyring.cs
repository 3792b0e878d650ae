using Gateway.Api.Accounts;
using OpenRouterClone.Shared;
using StackExchange.Redis;

namespace Gateway.Api.Byok;

/// <summary>
/// Each account's own provider keys (bring-your-own-key) by provider slug, compared without case. An account
/// never loaded (billing down) is served with the platform's keys.
/// </summary>
public sealed class ByokKeyring(ByokClient billing, IConnectionMultiplexer redis, TimeProvider clock, ILogger<ByokKeyring> logger)
    : AccountCache<IReadOnlyDictionary<string, ByokSecret>>(redis, clock, logger)
{
    private static readonly IReadOnlyDictionary<string, ByokSecret> None = new Dictionary<string, ByokSecret>();

    protected override IReadOnlyDictionary<string, ByokSecret> Unloaded => None;

    protected override string Describes => "provider keys";

    protected override string ChangedChannel => ByokContract.ChangedChannel;

    protected override async Task<IReadOnlyDictionary<string, ByokSecret>> LoadAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var secrets = await billing.GetAsync(accountId, cancellationToken);
        return secrets.Keys.Count == 0 ? None : secrets.Keys.ToDictionary(secret => secret.Provider, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>Typed client for the account keys on Billing.Service's internal API.</summary>
public sealed class ByokClient(HttpClient httpClient)
{
    public async Task<ByokSecrets> GetAsync(Guid accountId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ByokContract.InternalPath(accountId));
        using var response = await httpClient.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(ByokJsonContext.Default.ByokSecrets, cancellationToken)
            ?? throw new HttpRequestException("Billing answered without provider keys");
    }
}
