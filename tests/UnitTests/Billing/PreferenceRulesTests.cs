using Billing.Service.Preferences;
using OpenRouterClone.Shared;

namespace UnitTests.Billing;

public sealed class PreferenceRulesTests
{
    [Fact]
    public void Preferences_are_normalised_lowercase_sorted_and_distinct()
    {
        var (preferences, problem) = PreferenceRules.Normalize(new AccountPreferences(" Deny ", ["Groq", " groq", "deepinfra"]));

        Assert.Null(problem);
        Assert.Equal("deny", preferences!.DataCollection);
        Assert.Equal(["deepinfra", "groq"], preferences.IgnoredProviders);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("")]
    public void Data_collection_must_be_allow_or_deny(string value)
        => Assert.Contains("data_collection", PreferenceRules.Normalize(new AccountPreferences(value, [])).Problem);

    [Fact]
    public void Ignored_providers_must_be_slugs_and_not_too_many()
    {
        Assert.NotNull(PreferenceRules.Normalize(new AccountPreferences("allow", [" "])).Problem);
        Assert.NotNull(PreferenceRules.Normalize(new AccountPreferences("allow", [new string('a', 65)])).Problem);
        Assert.NotNull(PreferenceRules.Normalize(new AccountPreferences("allow", [.. Enumerable.Range(0, 101).Select(i => $"p{i}")])).Problem);
        Assert.NotNull(PreferenceRules.Normalize(null).Problem);
    }
}
