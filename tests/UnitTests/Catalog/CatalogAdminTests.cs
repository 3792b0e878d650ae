using Catalog.Service.Admin;
using Microsoft.AspNetCore.Http;
using Catalog.Service.Models;
using Catalog.Service.Providers;
using OpenRouterClone.Shared;
using static UnitTests.Catalog.CatalogTestData;

namespace UnitTests.Catalog;

public class CatalogAdminTests
{
    [Theory]
    [InlineData("s3cret-admin-key", "s3cret-admin-key", true)]
    [InlineData("s3cret-admin-key", "s3cret-admin-kez", false)]
    [InlineData("s3cret-admin-key", "s3cret-admin-key ", false)]
    [InlineData("s3cret-admin-key", "S3CRET-ADMIN-KEY", false)]
    [InlineData("s3cret-admin-key", "s3cret", false)]
    [InlineData("s3cret-admin-key", "", false)]
    [InlineData("s3cret-admin-key", null, false)]
    [InlineData(null, null, false)]
    [InlineData("", "", false)]
    [InlineData(null, "anything", false)]
    public void A_service_key_must_match_exactly_and_no_configured_key_matches_nothing(string? configured, string? presented, bool expected) =>
        Assert.Equal(expected, ServiceKey.Matches(configured, presented));

    [Fact]
    public void The_actor_comes_from_its_header_trimmed_and_bounded()
    {
        var context = new DefaultHttpContext();
        Assert.Equal(AdminKey.UnknownActor, AdminKey.Actor(context.Request));

        context.Request.Headers[AdminKey.ActorHeaderName] = "  portal:alice@example.com ";
        Assert.Equal("portal:alice@example.com", AdminKey.Actor(context.Request));

        context.Request.Headers[AdminKey.ActorHeaderName] = new string('a', 500);
        Assert.Equal(128, AdminKey.Actor(context.Request).Length);
    }

    [Fact]
    public void A_price_patch_changes_only_the_prices_it_names()
    {
        var endpoint = NewEndpoint("openai/gpt-4o", NewProvider("openai", "OpenAI"), 0.0000025m, 0.00001m);
        endpoint.InputCacheReadPrice = 0.00000125m;

        CatalogEdits.Apply(endpoint, new PricingRequest(Prompt: 0.000003m, InputCacheWrite: 0.00000375m, Discount: 0.25m));

        Assert.Equal(0.000003m, endpoint.PromptPrice);
        Assert.Equal(0.00001m, endpoint.CompletionPrice);
        Assert.Equal(0.00000125m, endpoint.InputCacheReadPrice);
        Assert.Equal(0.00000375m, endpoint.InputCacheWritePrice);
        Assert.Equal(0.25m, endpoint.Discount);
    }

    [Fact]
    public void Cache_prices_can_be_unset_so_the_prompt_price_applies_again()
    {
        var endpoint = NewEndpoint("openai/gpt-4o", NewProvider("openai", "OpenAI"), 0.0000025m, 0.00001m);
        endpoint.InputCacheReadPrice = 0.00000125m;
        endpoint.InputCacheWritePrice = 0.000003m;

        CatalogEdits.Apply(endpoint, new PricingRequest(Unset: ["input_cache_read"]));

        Assert.Null(endpoint.InputCacheReadPrice);
        Assert.Equal(0.000003m, endpoint.InputCacheWritePrice);
        Assert.Equal(0.0000025m, endpoint.PromptPrice);
    }

    [Theory]
    [InlineData("prompt", null)]
    [InlineData("input_cache_write", "0.000001")]
    public void Unsetting_a_required_price_or_one_also_given_is_refused(string name, string? alsoGiven)
    {
        var endpoint = NewEndpoint("a/b", NewProvider("p", "P"), 1m, 1m);
        endpoint.InputCacheWritePrice = 0.5m;

        var refused = Assert.Throws<CatalogEditException>(() => CatalogEdits.Apply(endpoint, new PricingRequest(
            InputCacheWrite: alsoGiven is null ? null : decimal.Parse(alsoGiven, System.Globalization.CultureInfo.InvariantCulture), Unset: [name])));

        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("pricing.unset", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-0.000001")]
    [InlineData("0.0000000000001")]
    [InlineData("100000000")]
    public void Prices_that_cannot_be_stored_exactly_are_refused_not_rounded(string price)
    {
        var endpoint = NewEndpoint("a/b", NewProvider("p", "P"), 1m, 1m);

        var refused = Assert.Throws<CatalogEditException>(() =>
            CatalogEdits.Apply(endpoint, new PricingRequest(Prompt: decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal(1m, endpoint.PromptPrice);
    }

    [Theory]
    [InlineData("0.000000000001000", 12)]
    [InlineData("0.0000025", 7)]
    [InlineData("2.50", 1)]
    [InlineData("3", 0)]
    public void Scale_counts_significant_decimal_places(string value, int expected) =>
        Assert.Equal(expected, CatalogEdits.Scale(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_new_provider_needs_its_name_url_and_wire_format()
    {
        Assert.Equal(400, Assert.Throws<CatalogEditException>(() =>
            CatalogEdits.CreateProvider("acme", new ProviderUpsertRequest(Name: "Acme"))).StatusCode);
        Assert.Throws<CatalogEditException>(() =>
            CatalogEdits.CreateProvider("Acme!", new ProviderUpsertRequest("Acme", "https://acme.example/v1", "OpenAIChat")));
        Assert.Throws<CatalogEditException>(() =>
            CatalogEdits.CreateProvider("acme", new ProviderUpsertRequest("Acme", "ftp://acme.example", "OpenAIChat")));
        Assert.Throws<CatalogEditException>(() =>
            CatalogEdits.CreateProvider("acme", new ProviderUpsertRequest("Acme", "https://acme.example/v1", "Telepathy")));
        Assert.Throws<CatalogEditException>(() =>
            CatalogEdits.CreateProvider("acme", new ProviderUpsertRequest("Acme", "https://acme.example/v1", "1")));

        var provider = CatalogEdits.CreateProvider("acme", new ProviderUpsertRequest(
            "Acme", "https://acme.example/v1", "anthropicmessages", Headquarters: "DE", Datacenters: ["DE", "FR"],
            DataRetentionDays: 0, ZeroDataRetention: true, StatusPageUrl: "https://status.acme.example/"));

        Assert.Equal(WireFormat.AnthropicMessages, provider.WireFormat);
        Assert.Equal(ProviderStatus.Operational, provider.Status);
        Assert.Equal(["DE", "FR"], provider.Datacenters);
        Assert.True(provider.ZeroDataRetention);
        Assert.Equal("https://status.acme.example/", provider.StatusPageUrl);
    }

    [Fact]
    public void An_update_keeps_what_it_does_not_mention_and_empty_strings_clear()
    {
        var provider = NewProvider("acme", "Acme");
        provider.StatusPageUrl = "https://status.acme.example/";

        CatalogEdits.Apply(provider, new ProviderUpsertRequest(Status: "degraded", StatusPageUrl: "", TrainsOnData: true));

        Assert.Equal("Acme", provider.Name);
        Assert.Equal(ProviderStatus.Degraded, provider.Status);
        Assert.Null(provider.StatusPageUrl);
        Assert.True(provider.TrainsOnData);
        Assert.Equal("US", provider.Headquarters);
    }

    [Fact]
    public void A_new_model_and_endpoint_take_sensible_defaults()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var model = CatalogEdits.CreateModel("acme/rocket-1:free", new ModelUpsertRequest(
            Name: "Acme: Rocket 1 (free)", ContextLength: 32_768, OutputModalities: ["text"], Categories: ["Programming"]), now);

        Assert.Equal("acme/rocket-1:free", model.CanonicalSlug);
        Assert.Equal(now, model.CreatedAt);
        Assert.Equal(["programming"], model.Categories);
        Assert.True(model.IsFreeVariant);
        Assert.Throws<CatalogEditException>(() => CatalogEdits.CreateModel("Acme/Rocket", new ModelUpsertRequest("X", ContextLength: 1), now));
        Assert.Throws<CatalogEditException>(() => CatalogEdits.CreateModel("acme/x", new ModelUpsertRequest("X", ContextLength: 1, OutputModalities: ["smell"]), now));

        var endpoint = CatalogEdits.CreateEndpoint(model, NewProvider("acme", "Acme"), new EndpointUpsertRequest(
            UpstreamModelName: "rocket-1", Pricing: new PricingRequest(Prompt: 0m, Completion: 0m), Quantization: "fp8"));

        Assert.Equal(32_768, endpoint.ContextLength);
        Assert.Equal("fp8", endpoint.Quantization);
        Assert.Equal(EndpointStatus.Operational, endpoint.Status);
        Assert.True(endpoint.IsEnabled);
        Assert.Throws<CatalogEditException>(() => CatalogEdits.CreateEndpoint(model, NewProvider("acme", "Acme"),
            new EndpointUpsertRequest(UpstreamModelName: "rocket-1", Pricing: new PricingRequest(Prompt: 0m))));
    }

    [Theory]
    [InlineData(null, "null")]
    [InlineData(true, "true")]
    [InlineData("text", "text")]
    public void Change_summaries_format_values_plainly(object? value, string expected) =>
        Assert.Equal(expected, CatalogEditor.Format(value));

    [Fact]
    public void Change_summaries_format_prices_and_lists_plainly()
    {
        Assert.Equal("0.0000025", CatalogEditor.Format(0.000002500000m));
        Assert.Equal("[tools, seed]", CatalogEditor.Format(new[] { "tools", "seed" }));
        Assert.Equal("Degraded", CatalogEditor.Format(EndpointStatus.Degraded));
        Assert.Equal("42", CatalogEditor.Format(42));
    }
}
