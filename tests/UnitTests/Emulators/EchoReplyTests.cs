using Emulators.Common;

namespace UnitTests.Emulators;

public class EchoReplyTests
{
    [Fact]
    public void Echoes_the_message_after_the_prefix()
    {
        var reply = EchoReply.For("Hello there", maxTokens: null);

        Assert.Equal("Echo: Hello there", reply.Text);
        Assert.Equal(3, reply.TokenCount);
        Assert.False(reply.IsTruncated);
    }

    [Fact]
    public void Cuts_the_reply_to_the_token_limit()
    {
        var reply = EchoReply.For("one two three four", maxTokens: 2);

        Assert.Equal("Echo: one", reply.Text);
        Assert.Equal(2, reply.TokenCount);
        Assert.True(reply.IsTruncated);
    }

    [Fact]
    public void A_limit_equal_to_the_reply_length_does_not_truncate()
    {
        var reply = EchoReply.For("one two", maxTokens: 3);

        Assert.Equal("Echo: one two", reply.Text);
        Assert.False(reply.IsTruncated);
    }

    [Fact]
    public void Without_a_user_message_only_the_prefix_is_sent()
    {
        var reply = EchoReply.For(null, maxTokens: null);

        Assert.Equal("Echo:", reply.Text);
        Assert.Equal(1, reply.TokenCount);
    }
}
