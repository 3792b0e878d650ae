using System.Globalization;
using OpenRouterClone.Shared;
using StackExchange.Redis;
using Fields = OpenRouterClone.Shared.KeyDirectoryContract.Fields;

namespace Billing.Service.Keys;

/// <summary>
/// The Redis copy of every key that gateways consult on the hot path (<see cref="KeyDirectoryContract"/>).
/// Each change is written there and announced, so gateways drop their in-process copy at once: a revoked
/// key stops working everywhere within a second.
/// </summary>
public sealed class KeyDirectory(IConnectionMultiplexer redis)
{
    public async Task PublishAsync(ApiKey key)
    {
        HashEntry[] fields =
        [
            new(Fields.KeyId, key.Id.ToString()),
            new(Fields.AccountId, key.AccountId.ToString()),
            new(Fields.Disabled, key.IsDisabled ? 1 : 0),
            new(Fields.Provisioning, key.IsProvisioningKey ? 1 : 0),
            new(Fields.ExpiresAt, key.ExpiresAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? ""),
            new(Fields.LimitNanos, key.LimitNanos?.ToString(CultureInfo.InvariantCulture) ?? ""),
            new(Fields.LimitReset, ApiKeyRules.FormatReset(key.LimitReset) ?? ""),
            new(Fields.IncludeByokInLimit, key.IncludeByokInLimit ? 1 : 0),
            new(Fields.RequestsPerMinute, key.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? ""),
            new(Fields.MaxConcurrentRequests, key.MaxConcurrentRequests?.ToString(CultureInfo.InvariantCulture) ?? ""),
        ];
        await redis.GetDatabase().HashSetAsync(KeyDirectoryContract.RedisKey(key.Hash), fields);
        await AnnounceAsync(key.Hash);
    }

    public async Task RemoveAsync(string hash)
    {
        await redis.GetDatabase().KeyDeleteAsync(KeyDirectoryContract.RedisKey(hash));
        await AnnounceAsync(hash);
    }

    private Task AnnounceAsync(string hash)
        => redis.GetSubscriber().PublishAsync(RedisChannel.Literal(KeyDirectoryContract.ChangedChannel), hash);
}
