using Emulators.Common;

namespace UnitTests.Emulators;

public class EmulatedStreamTests
{
    // role, three tokens, finish, done: the shape of an OpenAI stream.
    private static readonly StreamEvent[] Events =
    [
        new("role"), new("t1", CarriesToken: true), new("t2", CarriesToken: true), new("t3", CarriesToken: true), new("finish"), new("done"),
    ];

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    public void A_fault_takes_the_place_of_the_token_after_the_first_n(int afterTokens, int expectedIndex) =>
        Assert.Equal(expectedIndex, EmulatedStream.FaultIndex(Events, afterTokens));

    [Theory]
    [InlineData(3)]
    [InlineData(50)]
    public void A_fault_after_all_tokens_still_comes_before_the_closing_events(int afterTokens) =>
        Assert.Equal(4, EmulatedStream.FaultIndex(Events, afterTokens));

    [Fact]
    public void Structural_events_between_tokens_do_not_count()
    {
        StreamEvent[] anthropicLike =
        [
            new("message_start"), new("block_start"), new("ping"), new("thinking", CarriesToken: true), new("signature"),
            new("block_stop"), new("block_start"), new("text", CarriesToken: true), new("block_stop"), new("message_delta"),
        ];

        Assert.Equal(7, EmulatedStream.FaultIndex(anthropicLike, 1));
        Assert.Equal(8, EmulatedStream.FaultIndex(anthropicLike, 2));
    }

    [Theory]
    [InlineData("""{"choices":[{"delta":{"content":"hi"}}]}""")]
    [InlineData("""{"a":1}""")]
    [InlineData("{}")]
    public void A_truncated_payload_is_never_valid_json(string payload)
    {
        var truncated = EmulatedStream.Truncate(payload);

        Assert.False(EmulatorHttp.IsJson(truncated));
        Assert.StartsWith(truncated, payload);
    }
}
