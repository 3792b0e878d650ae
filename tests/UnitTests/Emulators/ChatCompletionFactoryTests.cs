using Emulators.OpenAI;

namespace UnitTests.Emulators;

public class ChatCompletionFactoryTests
{
    [Fact]
    public void Response_echoes_the_last_user_message_with_OpenAI_identity_fields()
    {
        var request = ChatRequests.Conversation(
            ("system", "You are terse."),
            ("user", "first question"),
            ("assistant", "Echo: first question"),
            ("user", "second question"));

        var response = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp);

        var choice = Assert.Single(response.Choices);
        Assert.Equal(0, choice.Index);
        Assert.Equal("assistant", choice.Message.Role);
        Assert.Equal("Echo: second question", choice.Message.Content);
        Assert.Equal("stop", choice.FinishReason);
        Assert.Null(choice.Logprobs);
        Assert.Equal("chat.completion", response.Object);
        Assert.Equal(ChatRequests.Stamp.Id, response.Id);
        Assert.Equal(ChatRequests.Stamp.Created, response.Created);
        Assert.Equal(ChatRequests.Model, response.Model);
        Assert.Equal(CompletionStamp.EmulatorFingerprint, response.SystemFingerprint);
    }

    [Fact]
    public void Usage_counts_the_words_of_every_message_and_of_the_reply()
    {
        var request = ChatRequests.Conversation(("system", "Be brief please"), ("user", "Hello there, emulator!"));

        var usage = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp).Usage;

        Assert.Equal(6, usage.PromptTokens);
        Assert.Equal(4, usage.CompletionTokens);
        Assert.Equal(10, usage.TotalTokens);
    }

    [Fact]
    public void Max_tokens_truncates_the_reply_with_finish_reason_length()
    {
        var request = ChatRequests.FromUser("one two three four five", maxTokens: 3);

        var response = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp);

        var choice = Assert.Single(response.Choices);
        Assert.Equal("Echo: one two", choice.Message.Content);
        Assert.Equal("length", choice.FinishReason);
        Assert.Equal(3, response.Usage.CompletionTokens);
    }

    [Fact]
    public void Max_completion_tokens_takes_precedence_over_max_tokens()
    {
        var request = ChatRequests.FromUser("one two three four five", maxTokens: 5) with { MaxCompletionTokens = 2 };

        var response = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp);

        Assert.Equal("Echo: one", response.Choices[0].Message.Content);
        Assert.Equal(2, response.Usage.CompletionTokens);
    }

    [Theory]
    [InlineData("Hello there, emulator!", null)]
    [InlineData("spaced   out\ttext\nacross lines", null)]
    [InlineData("a long reply that gets cut", 4)]
    public void Streamed_chunks_concatenate_to_the_non_streaming_reply(string text, int? maxTokens)
    {
        var request = ChatRequests.FromUser(text, maxTokens) with { Stream = true };

        var response = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp);
        var chunks = ChatCompletionFactory.CreateChunks(request, ChatRequests.Stamp).ToList();

        var streamedContent = string.Concat(chunks.SelectMany(chunk => chunk.Choices).Select(choice => choice.Delta.Content));
        Assert.Equal(response.Choices[0].Message.Content, streamedContent);
        Assert.Equal(response.Usage.CompletionTokens, chunks.Count(chunk => chunk.CarriesToken));
        Assert.Equal(response.Choices[0].FinishReason, chunks.SelectMany(chunk => chunk.Choices).Last().FinishReason);
    }

    [Fact]
    public void Stream_starts_with_the_role_and_ends_with_an_empty_delta_carrying_the_finish_reason()
    {
        var chunks = ChatCompletionFactory.CreateChunks(ChatRequests.FromUser("hi"), ChatRequests.Stamp).ToList();

        var first = Assert.Single(chunks[0].Choices);
        Assert.Equal("assistant", first.Delta.Role);
        Assert.Equal("", first.Delta.Content);
        Assert.Null(first.FinishReason);

        var last = Assert.Single(chunks[^1].Choices);
        Assert.Null(last.Delta.Role);
        Assert.Null(last.Delta.Content);
        Assert.Equal("stop", last.FinishReason);

        Assert.All(chunks[1..^1], chunk => Assert.Null(Assert.Single(chunk.Choices).FinishReason));
        Assert.All(chunks, chunk =>
        {
            Assert.Equal("chat.completion.chunk", chunk.Object);
            Assert.Equal(ChatRequests.Stamp.Id, chunk.Id);
            Assert.Equal(ChatRequests.Model, chunk.Model);
            Assert.Null(chunk.Usage);
        });
    }

    [Fact]
    public void Include_usage_adds_a_closing_chunk_with_no_choices_and_the_same_usage_as_the_response()
    {
        var request = ChatRequests.FromUser("count these words") with
        {
            Stream = true,
            StreamOptions = new StreamOptions { IncludeUsage = true },
        };

        var chunks = ChatCompletionFactory.CreateChunks(request, ChatRequests.Stamp).ToList();
        var expectedUsage = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp).Usage;

        Assert.Empty(chunks[^1].Choices);
        Assert.Equal(expectedUsage, chunks[^1].Usage);
        Assert.All(chunks[..^1], chunk => Assert.Null(chunk.Usage));
    }

    [Fact]
    public void The_same_request_always_gets_the_same_reply()
    {
        var request = ChatRequests.FromUser("deterministic, please", maxTokens: 2);

        var first = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp);
        var second = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp);

        Assert.Equal(first.Choices[0], second.Choices[0]);
        Assert.Equal(first.Usage, second.Usage);
    }
}
