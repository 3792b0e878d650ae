using System.Security.Cryptography;
using System.Text;
using Portal.Web.Billing;

namespace Portal.Web.Playground;

/// <summary>
/// The playground calls the gateway with a key the user pastes: billing keeps only SHA-256 hashes, so the portal
/// cannot use a stored key. The pasted key is hashed the way billing hashes it and must be one of the signed-in
/// user's own keys; the secret itself stays in the circuit's memory only.
/// </summary>
public static class PlaygroundKey
{
    public const string Prefix = "sk-or-v1-";

    /// <summary>Lowercase hex SHA-256 of the whole key, as billing stores it (the key's public <c>hash</c>).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Which of <paramref name="ownKeys"/> the pasted key is, or why it cannot be used.</summary>
    public static (ApiKeyInfo? Key, string? Problem) Check(string? pastedKey, IReadOnlyList<ApiKeyInfo> ownKeys)
    {
        var key = pastedKey?.Trim() ?? "";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (null, $"Paste an API key: it starts with {Prefix}.");
        }
        var hash = Hash(key);
        var match = ownKeys.FirstOrDefault(own => string.Equals(own.Hash, hash, StringComparison.OrdinalIgnoreCase));
        return match switch
        {
            null => (null, "This key does not belong to your account. Paste one of your own keys from the Keys page."),
            { IsProvisioningKey: true } => (null, "This is a provisioning key: it manages keys and cannot call models. Paste an inference key."),
            { Disabled: true } => (null, "This key is disabled. Enable it on the Keys page or paste another one."),
            { ExpiresAt: { } expiresAt } when expiresAt <= DateTimeOffset.UtcNow => (null, "This key has expired. Paste another one."),
            _ => (match, null),
        };
    }
}
