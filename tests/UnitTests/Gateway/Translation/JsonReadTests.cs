using System.Text.Json.Nodes;
using Gateway.Api.Translation;

namespace UnitTests.Gateway.Translation;

/// <summary>Numbers read the same whether they were parsed from a provider's answer or set by the gateway's own code.</summary>
public class JsonReadTests
{
    [Theory]
    [InlineData("46", 46d)]
    [InlineData("-3", -3d)]
    [InlineData("1.5", 1.5d)]
    [InlineData("1e2", 100d)]
    [InlineData("12345678901234567890", 12345678901234567890d)]
    public void A_parsed_number_reads_as_its_value(string json, double expected)
        => Assert.Equal(expected, JsonRead.Number(JsonNode.Parse(json)));

    [Fact]
    public void A_number_beyond_double_reads_as_infinity_as_the_text_parse_did()
        => Assert.Equal(double.PositiveInfinity, JsonRead.Number(JsonNode.Parse("1e400")));

    [Fact]
    public void Numbers_set_in_code_read_whatever_their_type()
    {
        Assert.Equal(7d, JsonRead.Number(JsonValue.Create(7)));
        Assert.Equal(8_000_000_000d, JsonRead.Number(JsonValue.Create(8_000_000_000L)));
        Assert.Equal(0.25d, JsonRead.Number(JsonValue.Create(0.25m)));
        Assert.Equal(2.5d, JsonRead.Number(JsonValue.Create(2.5d)));
        Assert.Equal(3d, JsonRead.Number(JsonValue.Create((short)3)));
        Assert.Equal(4d, JsonRead.Number(JsonValue.Create(4u)));
    }

    [Theory]
    [InlineData("\"5\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[1]")]
    [InlineData("{\"a\":1}")]
    public void Anything_but_a_number_reads_as_null(string json)
        => Assert.Null(JsonRead.Number(JsonNode.Parse(json)));

    [Theory]
    [InlineData("42", 42)]
    [InlineData("42.0", 42)]
    [InlineData("42.5", null)]
    [InlineData("2147483648", null)]
    [InlineData("-2147483648", int.MinValue)]
    public void Whole_numbers_within_int_read_as_ints(string json, int? expected)
        => Assert.Equal(expected, JsonRead.Int(JsonNode.Parse(json)));

    [Fact]
    public void A_usage_block_reads_its_token_counts()
    {
        var usage = TokenUsage.FromChat((JsonObject)JsonNode.Parse(
            """{"prompt_tokens":46,"completion_tokens":42,"total_tokens":88,"prompt_tokens_details":{"cached_tokens":6,"cache_write_tokens":2},"completion_tokens_details":{"reasoning_tokens":10}}""")!);
        Assert.Equal(new TokenUsage(46, 42, 6, 2, 10), usage);
        // The same block built in code (as the translators build it) reads the same.
        Assert.Equal(usage, TokenUsage.FromChat(usage.ToChatUsage()));
    }
}
