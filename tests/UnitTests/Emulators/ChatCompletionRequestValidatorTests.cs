using Emulators.OpenAI;

namespace UnitTests.Emulators;

public class ChatCompletionRequestValidatorTests
{
    [Fact]
    public void A_complete_request_is_valid() =>
        Assert.Null(ChatCompletionRequestValidator.Validate(ChatRequests.FromUser("hi", maxTokens: 1)));

    public static TheoryData<ChatCompletionRequest, string> InvalidRequests => new()
    {
        { ChatRequests.FromUser("hi") with { Model = null }, "model" },
        { ChatRequests.FromUser("hi") with { Model = " " }, "model" },
        { ChatRequests.FromUser("hi") with { Messages = null }, "messages" },
        { ChatRequests.FromUser("hi") with { Messages = [] }, "messages" },
        { ChatRequests.FromUser("hi") with { Messages = [new ChatMessage { Content = "no role" }] }, "messages[0].role" },
        { ChatRequests.FromUser("hi", maxTokens: 0), "max_tokens" },
        { ChatRequests.FromUser("hi") with { MaxCompletionTokens = -1 }, "max_completion_tokens" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void An_invalid_request_gets_an_invalid_request_error_naming_the_parameter(ChatCompletionRequest request, string param)
    {
        var error = ChatCompletionRequestValidator.Validate(request)?.Error;

        Assert.NotNull(error);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal(param, error.Param);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
