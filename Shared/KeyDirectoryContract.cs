namespace OpenRouterClone.Shared;

/// <summary>
/// The Redis layout of the key directory that Billing.Service writes and every gateway reads: one hash per
/// key at <see cref="RedisKey"/>, and a message on <see cref="ChangedChannel"/> carrying the key hash after
/// every change.
/// </summary>
public static class KeyDirectoryContract
{
    public const string ChangedChannel = "keys:changed";

    public static string RedisKey(string keyHash) => $"key:{keyHash}";

    public static class Fields
    {
        public const string KeyId = "key_id";
        public const string AccountId = "account_id";
        public const string Disabled = "disabled";
        public const string Provisioning = "provisioning";
        /// <summary>Unix seconds, or empty for never.</summary>
        public const string ExpiresAt = "expires_at";
        /// <summary>Nano-dollars, or empty for no limit.</summary>
        public const string LimitNanos = "limit_nanos";
        /// <summary>daily, weekly, monthly, or empty.</summary>
        public const string LimitReset = "limit_reset";
        public const string IncludeByokInLimit = "include_byok_in_limit";
        /// <summary>Requests per 60 seconds, or empty for no cap.</summary>
        public const string RequestsPerMinute = "rpm";
        /// <summary>Requests in flight at once, or empty for no cap.</summary>
        public const string MaxConcurrentRequests = "concurrency";
    }
}
