using System.Diagnostics.CodeAnalysis;

namespace OpenRouterClone.Shared;

/// <summary>Reads the API key from an <c>Authorization: Bearer ...</c> header.</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    public static bool TryRead(string? authorizationHeader, [NotNullWhen(true)] out string? token)
    {
        token = null;
        if (authorizationHeader is null || !authorizationHeader.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var value = authorizationHeader.AsSpan(Scheme.Length).Trim();
        if (value.IsEmpty)
        {
            return false;
        }
        token = value.ToString();
        return true;
    }
}
