using Emulators.Common;

namespace UnitTests.Emulators;

public class TokenCounterTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("   \t\n ", 0)]
    [InlineData("hello", 1)]
    [InlineData("Hello there, emulator!", 3)]
    [InlineData("  leading and trailing  ", 3)]
    [InlineData("tabs\tand\nnew lines", 4)]
    public void Count_counts_whitespace_separated_words(string? text, int expected) =>
        Assert.Equal(expected, TokenCounter.Count(text));

    [Fact]
    public void Split_keeps_the_whitespace_before_each_word()
    {
        var tokens = TokenCounter.Split("one  two\tthree");

        Assert.Equal(["one", "  two", "\tthree"], tokens);
    }

    [Theory]
    [InlineData("Echo: a reply with   odd\tspacing")]
    [InlineData("  starts with spaces")]
    [InlineData("ends with spaces   ")]
    public void Split_tokens_concatenate_back_to_the_text_without_trailing_whitespace(string text) =>
        Assert.Equal(text.TrimEnd(), string.Concat(TokenCounter.Split(text)));

    [Fact]
    public void Split_and_Count_agree()
    {
        const string text = "the quick  brown fox\njumps";

        Assert.Equal(TokenCounter.Count(text), TokenCounter.Split(text).Count);
    }
}
