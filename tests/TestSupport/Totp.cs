using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TestSupport;

/// <summary>
/// RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits), what an authenticator app
/// computes from the shared key the portal shows, and what ASP.NET Core Identity checks.
/// </summary>
public static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>The code for <paramref name="time"/> from a Base32 key (spaces and case ignored, as the page says).</summary>
    public static string Compute(string base32Key, DateTimeOffset time) =>
        Compute(Base32Decode(base32Key), time.ToUnixTimeSeconds() / (long)Step.TotalSeconds);

    /// <summary>RFC 4226 HOTP for one counter value, with the RFC's dynamic truncation.</summary>
    public static string Compute(byte[] key, long counter)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(key, message, hash);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static byte[] Base32Decode(string value)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var character in value.ToUpperInvariant())
        {
            if (character is ' ' or '-' or '=')
            {
                continue;
            }
            var index = Alphabet.IndexOf(character, StringComparison.Ordinal);
            if (index < 0)
            {
                throw new FormatException($"'{character}' is not a Base32 character");
            }
            buffer = (buffer << 5) | index;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }
}
