using System.Security.Cryptography;
using System.Text;

namespace OpenRouterClone.Shared;

/// <summary>Creates key secrets and derives what is stored about them (hash, label).</summary>
public static class ApiKeySecret
{
    public const string Prefix = "sk-or-v1-";
    private const int SecretBytes = 32;
    private const int LabelEdgeLength = 3;

    /// <summary>A new key: the prefix and 64 lowercase hex characters from a CSPRNG.</summary>
    public static string Generate() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Lowercase hex SHA-256 of the whole key as the caller sends it.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A reminder such as <c>sk-or-v1-0e6...1c9</c> that never reveals enough to guess the key.</summary>
    public static string Label(string key)
    {
        var secret = key[Prefix.Length..];
        return $"{Prefix}{secret[..LabelEdgeLength]}...{secret[^LabelEdgeLength..]}";
    }

    /// <summary>True for strings shaped like our keys; anything else is rejected before any lookup.</summary>
    public static bool HasValidFormat(string key)
        => key.Length == Prefix.Length + SecretBytes * 2
            && key.StartsWith(Prefix, StringComparison.Ordinal)
            && key.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;
}
