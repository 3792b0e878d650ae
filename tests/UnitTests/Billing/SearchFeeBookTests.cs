using System.Text.Json.Nodes;
using Billing.Service.Generations;
using Billing.Service.Ledger;
using Gateway.Api.Credits;
using Gateway.Api.Inference;
using Gateway.Api.Keys;
using Gateway.Api.Routing;
using Microsoft.AspNetCore.Http;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace UnitTests.Billing;

/// <summary>
/// The web search's fee travels in the usage event apart from the rest of the cost, and the usage posting books it
/// to the search provider's book: the customer pays the total, nothing is created or lost.
/// </summary>
public class SearchFeeBookTests
{
    private static readonly Guid Account = Guid.Parse("0b8a4c1e-55d2-4a8f-9a51-3f1f4a7f0c11");
    private static readonly Guid Key = Guid.Parse("7c2e0a93-1d4b-4e0f-8a6c-2b5d9e1f3a47");

    // Three results at $0.004 each, on top of 1,234,567 nano-dollars of tokens.
    private const long Fee = 3 * 4_000_000;
    private const long Tokens = 1_234_567;

    private static UsageEvent Usage(long costNanos, int searchResults = 0, long searchFeeNanos = 0, bool byok = false) => new()
    {
        GenerationId = "gen-1764160000-search",
        AccountId = Account,
        KeyId = Key,
        Model = "openai/gpt-4o-mini",
        ProviderSlug = "openai",
        ProviderName = "OpenAI",
        EndpointId = 7,
        PromptTokens = 900,
        CompletionTokens = 40,
        CostNanos = costNanos,
        UpstreamCostNanos = byok ? 20_000_000 : costNanos - searchFeeNanos,
        IsByok = byok,
        SearchResults = searchResults,
        SearchFeeNanos = searchFeeNanos,
        FinishReason = "stop",
        LatencyMs = 120,
        GenerationTimeMs = 80,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_764_160_000_123),
    };

    // An event as gateways wrote it before the JSON form: one stream field per value, and no search fields.
    private static NameValueEntry[] FieldPerValue() =>
        [
            new("gen", "gen-1764160000-old"), new("acct", Account.ToString("N")), new("key", Key.ToString("N")),
            new("model", "openai/gpt-4o-mini"), new("provider", "openai"), new("provider_name", "OpenAI"),
            new("endpoint", "7"), new("prompt", "900"), new("completion", "40"), new("cached", "0"),
            new("cache_write", "0"), new("reasoning", "0"), new("cost", "1234567"), new("upstream_cost", "1234567"),
            new("byok", "0"), new("streamed", "0"), new("cancelled", "0"), new("latency_ms", "120"),
            new("generation_ms", "80"), new("created_ms", "1764160000123"), new("finish", "stop"),
        ];

    [Fact]
    public void The_search_results_and_fee_survive_the_stream_encoding()
    {
        var sent = Usage(Tokens + Fee, searchResults: 3, searchFeeNanos: Fee);

        var received = UsageEvent.FromStreamFields(sent.ToStreamFields());

        Assert.Equal(sent, received);
        Assert.Equal(3, received.SearchResults);
        Assert.Equal(Fee, received.SearchFeeNanos);
    }

    [Fact]
    public void An_event_queued_by_a_gateway_that_did_not_send_the_fields_reads_as_no_search()
    {
        // Exactly what the gateway wrote before the fields existed.
        var old = FieldPerValue();

        var received = UsageEvent.FromStreamFields(old);

        Assert.Equal(0, received.SearchResults);
        Assert.Equal(0, received.SearchFeeNanos);
        Assert.Equal(1_234_567, received.CostNanos);
        var posting = UsageRecorder.ToPosting(received);
        Assert.Equal(
            [(LedgerBook.CustomerCredits, -1_234_567L), (LedgerBook.ProviderPayable, 1_234_567L)],
            posting.Entries.Select(entry => (entry.Book, entry.Amount)));
    }

    [Theory]
    [InlineData(3, -1)]
    [InlineData(-1, 0)]
    [InlineData(3, 1_234_568)] // more than the whole cost
    public void An_event_whose_search_fee_is_not_a_part_of_its_cost_is_malformed(int results, long fee)
    {
        var fields = Usage(1_234_567, results, fee).ToStreamFields();

        Assert.Throws<FormatException>(() => UsageEvent.FromStreamFields(fields));
    }

    [Theory]
    [InlineData("3", "-1")]
    [InlineData("-1", "0")]
    [InlineData("3", "1234568")]
    [InlineData("3", "x")]
    public void A_queued_field_per_value_event_whose_search_fee_is_not_a_part_of_its_cost_is_malformed(string results, string fee)
    {
        NameValueEntry[] fields = [.. FieldPerValue(), new("search_results", results), new("search_fee", fee)];

        Assert.Throws<FormatException>(() => UsageEvent.FromStreamFields(fields));
    }

    [Fact]
    public void The_customer_pays_the_total_the_model_provider_is_owed_the_tokens_and_the_search_provider_the_fee()
    {
        var posting = UsageRecorder.ToPosting(Usage(Tokens + Fee, searchResults: 3, searchFeeNanos: Fee));

        LedgerService.EnsureBalanced(posting);
        Assert.Equal(LedgerTransactionKind.Usage, posting.Kind);
        Assert.Equal("gen-1764160000-search", posting.Reference);
        Assert.Equal(
            [(LedgerBook.CustomerCredits, -(Tokens + Fee)), (LedgerBook.ProviderPayable, Tokens), (LedgerBook.SearchPayable, Fee)],
            posting.Entries.Select(entry => (entry.Book, entry.Amount)));
        Assert.Equal(Account, posting.Entries.Single(entry => entry.Book == LedgerBook.CustomerCredits).AccountId);
    }

    [Fact]
    public void With_the_users_own_key_the_platform_keeps_its_fee_and_the_search_fee_is_still_the_search_providers()
    {
        const long byokFee = 1_000_000;
        var posting = UsageRecorder.ToPosting(Usage(byokFee + Fee, searchResults: 3, searchFeeNanos: Fee, byok: true));

        LedgerService.EnsureBalanced(posting);
        Assert.Equal(LedgerTransactionKind.PlatformFee, posting.Kind);
        Assert.Equal(
            [(LedgerBook.CustomerCredits, -(byokFee + Fee)), (LedgerBook.PlatformRevenue, byokFee), (LedgerBook.SearchPayable, Fee)],
            posting.Entries.Select(entry => (entry.Book, entry.Amount)));
    }

    [Fact]
    public void A_search_with_free_tokens_books_only_the_fee()
    {
        var posting = UsageRecorder.ToPosting(Usage(Fee, searchResults: 3, searchFeeNanos: Fee));

        // The ledger refuses entries that move nothing: the model's provider gets none.
        LedgerService.EnsureBalanced(posting);
        Assert.Equal(
            [(LedgerBook.CustomerCredits, -Fee), (LedgerBook.SearchPayable, Fee)],
            posting.Entries.Select(entry => (entry.Book, entry.Amount)));
    }

    [Fact]
    public void The_generation_row_keeps_the_results_and_the_fee()
    {
        var generation = UsageRecorder.ToGeneration(Usage(Tokens + Fee, searchResults: 3, searchFeeNanos: Fee));

        Assert.Equal(3, generation.SearchResults);
        Assert.Equal(Fee, generation.SearchFeeNanos);
        Assert.Equal(3, GenerationsApi.ToResponse(generation).NumSearchResults);
    }

    [Fact]
    public void The_gateways_usage_event_carries_the_searchs_results_and_the_fee_inside_its_cost()
    {
        var endpoint = new SnapshotEndpoint(5, "p", "upstream", 128_000, 4096, null, null,
            new SnapshotPricing(0.000001m, 0.000002m, 0, 0, 0, null, 0, 0), [], 0, false, false, null);
        var model = new SnapshotModel("author/model", "Model", "author/model", 128_000, ["text"], ["text"], [endpoint]);
        var candidate = new RouteCandidate("author/model", model, endpoint,
            new SnapshotProvider("p", "P", SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
        var generation = new GenerationAttempt(new GatewayKey(Account, Key, false, false, null, null, "none"), "gen-1-abc", DateTimeOffset.UnixEpoch, streamed: false)
        {
            SurchargeNanos = Fee,
            SearchResults = 3,
        };
        var meter = GenerationMeter.For(candidate, new PromptTokens(new JsonObject()), TimeProvider.System, generation.SurchargeNanos);

        var usage = generation.ToUsageEvent(candidate, meter, DateTimeOffset.UnixEpoch.AddSeconds(1), new HeaderDictionary());

        Assert.Equal(3, usage.SearchResults);
        Assert.Equal(Fee, usage.SearchFeeNanos);
        Assert.Equal(meter.CostNanos, usage.CostNanos);
        Assert.Equal(usage.CostNanos - Fee, usage.UpstreamCostNanos);
    }
}
