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
