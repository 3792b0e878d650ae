using System.Text.Json.Nodes;
using Emulators.Anthropic;
using Gateway.Api.Translation;
using static UnitTests.Gateway.Translation.TranslationJson;

namespace UnitTests.Gateway.Translation;

public class AnthropicResponsesTests
{
    private static JsonObject MessagesRequest(string openAiRequest) => AnthropicOutbound.ToMessagesRequest(Obj(openAiRequest), "claude-sonnet-4-5");

    [Fact]
    public void Text_and_thinking_become_content_and_reasoning_with_the_signature_kept()
    {
        var request = MessagesRequest("""{"messages":[{"role":"user","content":"Hello Claude"}],"reasoning":{"max_tokens":1024}}""");
        var response = AnthropicResponse(request);

        var completion = AnthropicResponses.ToChatCompletion(response, created: 1_700_000_000);

        Assert.Equal("chat.completion", Str(completion["object"]));
        Assert.Equal("msg_01test", Str(completion["id"]));
        Assert.Equal("claude-sonnet-4-5", Str(completion["model"]));
        Assert.Equal(1_700_000_000, (long)completion["created"]!);
        var message = Message(completion);
        Assert.Equal("Echo: Hello Claude", Str(message["content"]));
        Assert.Equal(Str(response["content"]![0]!["thinking"]), Str(message["reasoning"]));
        Assert.StartsWith("The user wrote", Str(message["reasoning"]));
        var detail = message["reasoning_details"]![0]!;
        Assert.Equal(("reasoning.text", "sig-test", "anthropic-claude-v1"), (Str(detail["type"]), Str(detail["signature"]), Str(detail["format"])));
        Assert.Equal(("stop", "end_turn"), (Str(Choice(completion)["finish_reason"]), Str(Choice(completion)["native_finish_reason"])));
        // The emulator's output tokens include the thinking (1024 / 16 = 64) plus "Echo: Hello Claude" (3).
        Assert.Equal(67, (int)completion["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public void A_tool_use_becomes_a_tool_call_with_json_text_arguments_and_null_content()
    {
        var request = MessagesRequest("""
            {"messages":[{"role":"user","content":"Paris"}],"tool_choice":"required",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
            """);
        var response = AnthropicResponse(request);

        var completion = AnthropicResponses.ToChatCompletion(response);

        var message = Message(completion);
        Assert.Null(message["content"]);
        var call = message["tool_calls"]![0]!;
        Assert.Equal(("toolu_01test", "function", "get_weather"), (Str(call["id"]), Str(call["type"]), Str(call["function"]!["name"])));
        Assert.True(JsonNode.DeepEquals(response["content"]![0]!["input"], JsonNode.Parse(Str(call["function"]!["arguments"])!)));
        Assert.Equal(("tool_calls", "tool_use"), (Str(Choice(completion)["finish_reason"]), Str(Choice(completion)["native_finish_reason"])));
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "stop")]
    public void Stop_reasons_are_normalised_and_kept_as_native(string stopReason, string expected)
    {
        var completion = AnthropicResponses.ToChatCompletion(Obj("""{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"x"}],"stop_reason":""" + "\"" + stopReason + "\""
            + ""","usage":{"input_tokens":1,"output_tokens":1}}"""));

        Assert.Equal(expected, Str(Choice(completion)["finish_reason"]));
        Assert.Equal(stopReason, Str(Choice(completion)["native_finish_reason"]));
    }

    [Fact]
    public void Usage_counts_cache_reads_and_writes_in_the_prompt_and_reports_them_apart()
    {
        var request = MessagesRequest("""{"messages":[{"role":"user","content":"one two three"}]}""");
        var response = AnthropicResponse(request, new CacheUsage(CreationTokens: 20, ReadTokens: 100));
        response["usage"]!["input_tokens"] = 10;

        var usage = AnthropicResponses.ToChatCompletion(response)["usage"]!;

        Assert.Equal(130, (int)usage["prompt_tokens"]!);
        Assert.Equal(100, (int)usage["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(20, (int)usage["prompt_tokens_details"]!["cache_write_tokens"]!);
        Assert.Equal(4, (int)usage["completion_tokens"]!);
        Assert.Equal(134, (int)usage["total_tokens"]!);
    }

    [Fact]
    public void A_body_without_content_is_refused()
    {
        Assert.Throws<TranslationException>(() => AnthropicResponses.ToChatCompletion(Obj("""{"type":"error","error":{"type":"api_error","message":"x"}}""")));
    }
}
