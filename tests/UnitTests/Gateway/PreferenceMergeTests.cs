using Gateway.Api.Preferences;
using Gateway.Api.Routing;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared;

namespace UnitTests.Gateway;

public sealed class PreferenceMergeTests
{
    private static readonly AccountPreferences DenyIgnoringGroq = new("deny", ["groq"]);

    [Fact]
    public void Default_account_preferences_leave_the_request_as_it_is()
    {
        var request = new ProviderPreferences { Sort = "latency" };

        Assert.Same(request, PreferenceMerge.Merge(request, AccountPreferences.Default));
        Assert.Null(PreferenceMerge.Merge(null, AccountPreferences.Default));
    }

    [Fact]
    public void Account_defaults_apply_to_a_request_without_provider_preferences()
    {
        var merged = PreferenceMerge.Merge(null, DenyIgnoringGroq)!;

        Assert.Equal("deny", merged.DataCollection);
        Assert.Equal(["groq"], merged.Ignore!);
        Assert.Null(merged.Order);
        Assert.Null(merged.AllowFallbacks);
        Assert.Null(merged.Validate());
    }

    [Fact]
    public void Ignore_lists_are_unioned_without_duplicates()
    {
        var merged = PreferenceMerge.Merge(new ProviderPreferences { Ignore = ["together", "GROQ"] }, DenyIgnoringGroq)!;

        Assert.Equal(["together", "GROQ"], merged.Ignore!);
        Assert.Equal(["together", "groq"], PreferenceMerge.Merge(new ProviderPreferences { Ignore = ["together"] }, DenyIgnoringGroq)!.Ignore!);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("deny")]
    public void A_request_that_sets_data_collection_wins(string requested)
    {
        var merged = PreferenceMerge.Merge(new ProviderPreferences { DataCollection = requested }, DenyIgnoringGroq)!;

        Assert.Equal(requested, merged.DataCollection);
        Assert.Equal(requested, PreferenceMerge.Merge(new ProviderPreferences { DataCollection = requested }, new AccountPreferences("allow", ["x"]))!.DataCollection);
    }

    [Fact]
    public void An_account_that_allows_data_collection_adds_no_data_collection_field()
        => Assert.Null(PreferenceMerge.Merge(null, new AccountPreferences("allow", ["groq"]))!.DataCollection);

    [Fact]
    public void Every_other_request_field_is_kept()
    {
        var request = new ProviderPreferences
        {
            Order = ["a"], Only = ["a", "b"], AllowFallbacks = false, RequireParameters = true, Zdr = true,
            Quantizations = ["fp8"], Sort = "throughput", MaxPrice = new MaxPrice { Prompt = 1 },
        };

        var merged = PreferenceMerge.Merge(request, DenyIgnoringGroq)!;

        Assert.Equal(request.Order, merged.Order);
        Assert.Equal(request.Only, merged.Only);
        Assert.False(merged.AllowFallbacks);
        Assert.True(merged.RequireParameters);
        Assert.True(merged.Zdr);
        Assert.Equal(request.Quantizations, merged.Quantizations);
        Assert.Equal("throughput", merged.Sort);
        Assert.Same(request.MaxPrice, merged.MaxPrice);
    }

    [Fact]
    public void Allows_rejects_ignored_providers_by_slug_or_name_and_data_keepers_under_deny()
    {
        var groq = Provider("groq", "Groq", retentionDays: 0, trains: false);
        var deepseek = Provider("deepseek", "DeepSeek", retentionDays: null, trains: true);
        var openai = Provider("openai", "OpenAI", retentionDays: 30, trains: false);
        var together = Provider("together", "Together", retentionDays: 0, trains: false);

        Assert.False(PreferenceMerge.Allows(DenyIgnoringGroq, groq));
        Assert.False(PreferenceMerge.Allows(new AccountPreferences("allow", ["Groq"]), groq));
        Assert.False(PreferenceMerge.Allows(DenyIgnoringGroq, deepseek));
        Assert.False(PreferenceMerge.Allows(DenyIgnoringGroq, openai));
        Assert.True(PreferenceMerge.Allows(DenyIgnoringGroq, together));
        Assert.True(PreferenceMerge.Allows(new AccountPreferences("allow", ["groq"]), openai));
        Assert.True(PreferenceMerge.Allows(AccountPreferences.Default, deepseek));
    }

    private static SnapshotProvider Provider(string slug, string name, int? retentionDays, bool trains)
        => new(slug, name, SnapshotWireFormats.OpenAIChat, "https://x", "Operational", retentionDays, trains, false, null);
}
