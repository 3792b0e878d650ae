namespace Billing.Service.Keys;

/// <summary>Checks key requests from either API; returns a message for a 400, or null when acceptable.</summary>
public static class KeyRequestValidator
{
    public static string? Validate(CreateKeyRequest request, DateTimeOffset now)
        => ApiKeyRules.ValidateName(request.Name)
            ?? ApiKeyRules.ValidateLimit(request.Limit)
            ?? ValidateReset(request.LimitReset)
            ?? ApiKeyRules.ValidateRequestCaps(request.RateLimitPerMinute, request.MaxConcurrentRequests)
            ?? (request.ExpiresAt <= now ? "'expires_at' must be in the future" : null);

    public static string? Validate(UpdateKeyRequest request)
        => (request.Name is not null ? ApiKeyRules.ValidateName(request.Name) : null)
            ?? ApiKeyRules.ValidateLimit(request.Limit)
            ?? ValidateReset(request.LimitReset)
            ?? ApiKeyRules.ValidateRequestCaps(request.RateLimitPerMinute, request.MaxConcurrentRequests);

    private static string? ValidateReset(string? value)
        => ApiKeyRules.TryParseReset(value, out _) ? null : "'limit_reset' must be daily, weekly, monthly or null";
}
