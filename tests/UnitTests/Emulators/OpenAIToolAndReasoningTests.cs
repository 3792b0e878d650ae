using System.Text.Json;
using Emulators.OpenAI;

namespace UnitTests.Emulators;

/// <summary>Tool calls, reasoning tokens and cached tokens in the OpenAI chat completion emulator.</summary>
public class OpenAIToolAndReasoningTests
{
    private static readonly ChatTool Weather = new()
    {
        Function = new FunctionDefinition
        {
            Name = "get_weather",
            Parameters = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement,
        },
    };

    private static readonly ChatTool Time = new() { Function = new FunctionDefinition { Name = "get_time" } };

    private static ChatCompletionRequest WithTools(string text, string? toolChoiceJson = null) =>
        ChatRequests.FromUser(text) with
        {
            Tools = [Weather, Time],
            ToolChoice = toolChoiceJson is null ? null : JsonDocument.Parse(toolChoiceJson).RootElement,
        };

    [Fact]
    public void With_tools_the_model_calls_the_first_one_with_arguments_from_its_schema()
    {
        var response = ChatCompletionFactory.CreateResponse(WithTools("Paris"), ChatRequests.Stamp);

        var choice = Assert.Single(response.Choices);
        Assert.Equal("tool_calls", choice.FinishReason);
        Assert.Null(choice.Message.Content);
        var call = Assert.Single(choice.Message.ToolCalls!);
        Assert.Equal(ChatRequests.Stamp.ToolCallId, call.Id);
        Assert.StartsWith("call_", call.Id);
        Assert.Equal("function", call.Type);
        Assert.Equal("get_weather", call.Function.Name);
        Assert.Equal("""{"city":"Paris"}""", call.Function.Arguments);
        // One token for the name, one per word of the arguments.
        Assert.Equal(2, response.Usage.CompletionTokens);
    }

    [Fact]
    public void A_named_tool_choice_calls_that_tool()
    {
        var call = ChatCompletionFactory.CreateResponse(
            WithTools("Paris", """{"type":"function","function":{"name":"get_time"}}"""), ChatRequests.Stamp).Choices[0].Message.ToolCalls!.Single();

        Assert.Equal("get_time", call.Function.Name);
        Assert.Equal("{}", call.Function.Arguments);
    }

    [Fact]
    public void Tool_choice_none_answers_with_text()
    {
        var choice = ChatCompletionFactory.CreateResponse(WithTools("Paris", "\"none\""), ChatRequests.Stamp).Choices[0];

        Assert.Equal("stop", choice.FinishReason);
        Assert.Equal("Echo: Paris", choice.Message.Content);
        Assert.Null(choice.Message.ToolCalls);
    }

    [Fact]
    public void After_a_tool_result_auto_answers_with_text_but_required_calls_again()
    {
        var conversation = WithTools("Paris") with
        {
            Messages =
            [
                new ChatMessage { Role = "user", Content = "Paris" },
                new ChatMessage { Role = "assistant", ToolCalls = [new ToolCall { Id = "call_1", Function = new FunctionCall { Name = "get_weather", Arguments = "{}" } }] },
                new ChatMessage { Role = "tool", ToolCallId = "call_1", Content = "sunny" },
            ],
        };

        var auto = ChatCompletionFactory.CreateResponse(conversation, ChatRequests.Stamp).Choices[0];
        var required = ChatCompletionFactory.CreateResponse(
            conversation with { ToolChoice = JsonDocument.Parse("\"required\"").RootElement }, ChatRequests.Stamp).Choices[0];

        Assert.Equal(("stop", "Echo: Paris"), (auto.FinishReason, auto.Message.Content));
        Assert.Equal("tool_calls", required.FinishReason);
    }

    [Fact]
    public void A_tool_call_that_does_not_fit_the_limit_becomes_a_cut_text_reply()
    {
        var choice = ChatCompletionFactory.CreateResponse(WithTools("weather in Paris") with { MaxTokens = 1 }, ChatRequests.Stamp).Choices[0];

        Assert.Equal("length", choice.FinishReason);
        Assert.Equal("Echo:", choice.Message.Content);
    }

    [Fact]
    public void A_streamed_tool_call_sends_id_and_name_first_then_argument_pieces_that_add_up()
    {
        var request = WithTools("weather in Paris") with { Stream = true };

        var chunks = ChatCompletionFactory.CreateChunks(request, ChatRequests.Stamp).ToList();
        var expected = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp);

        var first = Assert.Single(Assert.Single(chunks[0].Choices).Delta.ToolCalls!);
        Assert.Equal("assistant", chunks[0].Choices[0].Delta.Role);
        Assert.Equal((0, ChatRequests.Stamp.ToolCallId, "function", "get_weather", ""), (first.Index, first.Id, first.Type, first.Function.Name, first.Function.Arguments));
        var pieces = chunks.Skip(1).SelectMany(chunk => chunk.Choices).SelectMany(choice => choice.Delta.ToolCalls ?? []).ToList();
        Assert.All(pieces, piece => Assert.Null(piece.Id));
        Assert.Equal(expected.Choices[0].Message.ToolCalls![0].Function.Arguments, string.Concat(pieces.Select(piece => piece.Function.Arguments)));
        Assert.Equal("tool_calls", chunks[^1].Choices[0].FinishReason);
        Assert.Equal(expected.Usage.CompletionTokens, chunks.Count(chunk => chunk.CarriesToken));
    }

    [Fact]
    public void The_tool_call_message_serializes_as_OpenAI_does()
    {
        var json = JsonSerializer.SerializeToElement(
            ChatCompletionFactory.CreateResponse(WithTools("Paris"), ChatRequests.Stamp), OpenAIJsonContext.Default.ChatCompletionResponse);

        var message = json.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = message.GetProperty("tool_calls")[0];
        Assert.Equal(["id", "type", "function"], call.EnumerateObject().Select(property => property.Name));
        Assert.Equal(JsonValueKind.String, call.GetProperty("function").GetProperty("arguments").ValueKind);
    }

    [Theory]
    [InlineData("low", 16)]
    [InlineData("high", 64)]
    public void Reasoning_effort_adds_reasoning_tokens_to_the_completion_tokens(string effort, int reasoningTokens)
    {
        var usage = ChatCompletionFactory.CreateResponse(ChatRequests.FromUser("think about it") with { ReasoningEffort = effort }, ChatRequests.Stamp).Usage;

        Assert.Equal(reasoningTokens, usage.CompletionTokensDetails.ReasoningTokens);
        Assert.Equal(4 + reasoningTokens, usage.CompletionTokens);
    }

    [Theory]
    [InlineData("""{"max_tokens":40}""", 40)]
    [InlineData("""{"effort":"minimal"}""", 8)]
    [InlineData("""{}""", 32)]
    [InlineData("""{"enabled":false,"effort":"high"}""", 0)]
    public void OpenRouter_reasoning_sets_the_reasoning_tokens(string reasoningJson, int reasoningTokens)
    {
        var request = JsonSerializer.Deserialize(
            $$"""{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning":{{reasoningJson}}}""",
            OpenAIJsonContext.Default.ChatCompletionRequest)!;

        var usage = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp).Usage;

        Assert.Equal(reasoningTokens, usage.CompletionTokensDetails.ReasoningTokens);
    }

    [Fact]
    public void Reasoning_counts_in_the_completion_limit_and_can_leave_no_room_for_the_reply()
    {
        var partly = ChatCompletionFactory.CreateResponse(ChatRequests.FromUser("one two three", maxTokens: 18) with { ReasoningEffort = "low" }, ChatRequests.Stamp);
        var fully = ChatCompletionFactory.CreateResponse(ChatRequests.FromUser("one two three", maxTokens: 10) with { ReasoningEffort = "low" }, ChatRequests.Stamp);

        Assert.Equal(("Echo: one", "length", 18), (partly.Choices[0].Message.Content, partly.Choices[0].FinishReason, partly.Usage.CompletionTokens));
        Assert.Equal(("", "length", 10), (fully.Choices[0].Message.Content, fully.Choices[0].FinishReason, fully.Usage.CompletionTokens));
        Assert.Equal(10, fully.Usage.CompletionTokensDetails.ReasoningTokens);
    }

    [Fact]
    public void Without_reasoning_or_a_long_prompt_the_details_stay_zero()
    {
        var usage = ChatCompletionFactory.CreateResponse(ChatRequests.FromUser("hi"), ChatRequests.Stamp).Usage;

        Assert.Equal(0, usage.CompletionTokensDetails.ReasoningTokens);
        Assert.Equal(0, usage.PromptTokensDetails.CachedTokens);
    }

    [Fact]
    public void A_long_prompt_reports_cached_tokens()
    {
        var longText = string.Join(' ', Enumerable.Repeat("word", 1300));

        var usage = ChatCompletionFactory.CreateResponse(ChatRequests.FromUser(longText), ChatRequests.Stamp).Usage;

        Assert.Equal(1300, usage.PromptTokens);
        Assert.Equal(1280, usage.PromptTokensDetails.CachedTokens);
    }

    [Fact]
    public void The_stop_parameter_cuts_the_reply_with_finish_reason_stop()
    {
        var request = ChatRequests.FromUser("alpha beta gamma") with { Stop = JsonDocument.Parse("""["gamma"]""").RootElement };

        var choice = ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp).Choices[0];

        Assert.Equal(("Echo: alpha beta", "stop"), (choice.Message.Content, choice.FinishReason));
    }

    public static TheoryData<string, string> InvalidRequests => new()
    {
        { """{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"auto"}""", "tool_choice" },
        { """{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":"sometimes"}""", "tool_choice" },
        { """{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":{"type":"function","function":{"name":"b"}}}""", "tool_choice" },
        { """{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"extreme"}""", "reasoning_effort" },
        { """{"model":"m","messages":[{"role":"user","content":"x"}],"stop":["a","b","c","d","e"]}""", "stop" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Invalid_tool_reasoning_and_stop_parameters_are_rejected(string json, string param)
    {
        var request = JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.ChatCompletionRequest)!;

        Assert.Equal(param, ChatCompletionRequestValidator.Validate(request)?.Error.Param);
    }
}
