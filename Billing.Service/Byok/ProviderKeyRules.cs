using System.Text.RegularExpressions;

namespace Billing.Service.Byok;

/// <summary>What a provider key and its provider slug must look like before they are stored.</summary>
public static partial class ProviderKeyRules
{
    public const int MaxProviderSlugLength = 64;
    public const int MinSecretLength = 8;
    public const int MaxSecretLength = 512;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ProviderSlug();

    public static string? ValidateProvider(string provider)
        => ProviderSlug().IsMatch(provider) ? null : "The provider must be a catalog provider slug such as 'openai'";

    /// <summary>
    /// The key goes into an HTTP header upstream: printable ASCII without spaces only, so it can never inject a
    /// header or break the request line.
    /// </summary>
    public static string? ValidateSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return "'api_key' is required";
        }
        if (secret.Length is < MinSecretLength or > MaxSecretLength)
        {
            return $"'api_key' must be {MinSecretLength} to {MaxSecretLength} characters";
        }
        return secret.All(character => character is > ' ' and <= '~')
            ? null
            : "'api_key' may only contain printable ASCII characters without spaces";
    }

    /// <summary>The last four characters, enough for a person to tell keys apart and useless to anyone else.</summary>
    public static string HintFor(string secret) => "…" + secret[^4..];
}
