namespace Billing.Service.Keys;

/// <summary>Validation shared by the public and the internal key APIs.</summary>
public static class ApiKeyRules
{
    public const int MaxNameLength = 128;

    /// <summary>A limit above this is a typo, not a budget; it also keeps nano-dollar math far from overflow.</summary>
    public const decimal MaxLimitUsd = 1_000_000m;

    public static string? ValidateName(string? name)
        => string.IsNullOrWhiteSpace(name) ? "'name' is required"
            : name.Length > MaxNameLength ? $"'name' must be at most {MaxNameLength} characters"
            : null;

    public const int MaxRequestsPerMinute = 1_000_000;
    public const int MaxConcurrentRequests = 100_000;

    /// <summary>Request caps are whole numbers; 0 (or absent) means none.</summary>
    public static string? ValidateRequestCaps(int? perMinute, int? concurrent)
        => perMinute is < 0 or > MaxRequestsPerMinute ? $"'rate_limit_per_minute' must be between 0 (none) and {MaxRequestsPerMinute}"
            : concurrent is < 0 or > MaxConcurrentRequests ? $"'max_concurrent_requests' must be between 0 (none) and {MaxConcurrentRequests}"
            : null;

    /// <summary>0 stands for "no cap".</summary>
    public static int? CapOrNone(int value) => value == 0 ? null : value;

    public static string? ValidateLimit(decimal? limit)
        => limit is < 0 or > MaxLimitUsd ? $"'limit' must be between 0 and {MaxLimitUsd} USD" : null;

    /// <summary>Reads OpenRouter's <c>limit_reset</c> values; null or empty means the limit never resets.</summary>
    public static bool TryParseReset(string? value, out KeyLimitReset reset)
    {
        (var known, reset) = value switch
        {
            null or "" => (true, KeyLimitReset.None),
            "daily" => (true, KeyLimitReset.Daily),
            "weekly" => (true, KeyLimitReset.Weekly),
            "monthly" => (true, KeyLimitReset.Monthly),
            _ => (false, KeyLimitReset.None),
        };
        return known;
    }

    public static string? FormatReset(KeyLimitReset reset) => reset switch
    {
        KeyLimitReset.Daily => "daily",
        KeyLimitReset.Weekly => "weekly",
        KeyLimitReset.Monthly => "monthly",
        _ => null,
    };
}
