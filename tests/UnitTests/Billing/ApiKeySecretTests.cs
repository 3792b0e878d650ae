using OpenRouterClone.Shared;
using Billing.Service.Keys;

namespace UnitTests.Billing;

public class ApiKeySecretTests
{
    [Fact]
    public void Generated_keys_have_the_OpenRouter_shape_and_never_repeat()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.All(keys, key => Assert.Matches("^sk-or-v1-[0-9a-f]{64}$", key));
        Assert.All(keys, key => Assert.True(ApiKeySecret.HasValidFormat(key)));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void The_hash_is_lowercase_hex_SHA256_of_the_whole_key()
    {
        // SHA-256("abc") is a published test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeySecret.Hash("abc"));
        var key = ApiKeySecret.Generate();
        Assert.Equal(ApiKeySecret.Hash(key), ApiKeySecret.Hash(key));
        Assert.NotEqual(ApiKeySecret.Hash(key), ApiKeySecret.Hash(key.ToUpperInvariant()));
    }

    [Fact]
    public void The_label_shows_only_three_characters_at_each_end()
    {
        const string key = "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";

        Assert.Equal("sk-or-v1-0e6...c96", ApiKeySecret.Label(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-or-v1-")]
    [InlineData("sk-or-v1-0e6f44a47a05f1dad2ad7e88c4c1d6b77688157716fb1a5271146f7464951c9")]
    [InlineData("sk-or-v1-0e6f44a47a05f1dad2ad7e88c4c1d6b77688157716fb1a5271146f7464951c966")]
    [InlineData("sk-or-v1-0E6F44A47A05F1DAD2AD7E88C4C1D6B77688157716FB1A5271146F7464951C96")]
    [InlineData("sk-or-v2-0e6f44a47a05f1dad2ad7e88c4c1d6b77688157716fb1a5271146f7464951c96")]
    [InlineData("sk-or-v1-0e6f44a47a05f1dad2ad7e88c4c1d6b77688157716fb1a5271146f7464951cxz")]
    public void Malformed_keys_are_rejected_before_any_lookup(string key) =>
        Assert.False(ApiKeySecret.HasValidFormat(key));
}
