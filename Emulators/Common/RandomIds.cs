using System.Security.Cryptography;

namespace Emulators.Common;

/// <summary>Random ids in the providers' shapes (a prefix and letters and digits).</summary>
public static class RandomIds
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Create(string prefix, int length) => prefix + RandomNumberGenerator.GetString(Alphanumeric, length);
}
