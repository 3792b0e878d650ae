using OpenRouterClone.Shared;

namespace UnitTests.Gateway;

public class BearerTokenTests
{
    [Theory]
    [InlineData("Bearer sk-or-v1-abc", "sk-or-v1-abc")]
    [InlineData("bearer sk-or-v1-abc", "sk-or-v1-abc")]
    [InlineData("Bearer   sk-or-v1-abc  ", "sk-or-v1-abc")]
    public void Reads_the_token_after_the_bearer_scheme(string header, string expected)
    {
        Assert.True(BearerToken.TryRead(header, out var token));
        Assert.Equal(expected, token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("sk-or-v1-abc")]
    public void Rejects_missing_or_other_schemes(string? header)
    {
        Assert.False(BearerToken.TryRead(header, out var token));
        Assert.Null(token);
    }
}
