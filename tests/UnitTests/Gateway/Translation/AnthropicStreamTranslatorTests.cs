using System.Text.Json.Nodes;
using Emulators.Anthropic;
using Emulators.Common;
using Gateway.Api.Translation;
using static UnitTests.Gateway.Translation.TranslationJson;

namespace UnitTests.Gateway.Translation;

public class AnthropicStreamTranslatorTests
{
    private static JsonObject MessagesRequest(string openAiRequest) => AnthropicOutbound.ToMessagesRequest(Obj(openAiRequest), "claude-sonnet-4-5");

    private static List<JsonObject> Translate(AnthropicStreamTranslator translator, IEnumerable<StreamEvent> events) =>
        [.. events.SelectMany(streamEvent => translator.OnEvent(streamEvent.EventType, streamEvent.Data))];

    [Fact]
    public void The_emulators_stream_becomes_role_reasoning_and_content_deltas_then_finish_and_usage_chunks()
    {
        var request = MessagesRequest("""{"messages":[{"role":"user","content":"Hello there Claude"}],"reasoning":{"max_tokens":1024},"stream":true}""");
        var translator = new AnthropicStreamTranslator(created: 42);

        var chunks = Translate(translator, AnthropicEvents(request));

        var whole = AnthropicResponses.ToChatCompletion(AnthropicResponse(request));
        Assert.All(chunks, chunk => Assert.Equal(("msg_01test", "chat.completion.chunk", 42L), (Str(chunk["id"]), Str(chunk["object"]), (long)chunk["created"]!)));
        Assert.Equal("assistant", Str(Delta(chunks[0])["role"]));
        Assert.Equal(Str(Message(whole)["content"]), Concat(chunks, "content"));
        Assert.Equal(Str(Message(whole)["reasoning"]), Concat(chunks, "reasoning"));
        Assert.Contains(chunks, chunk => chunk["choices"]!.AsArray().Count > 0 && Delta(chunk)["reasoning_details"]?[0]?["signature"] is { } signature && Str(signature) == "sig-test");
        var finish = chunks[^2];
        Assert.Equal(("stop", "end_turn"), (Str(Choice(finish)["finish_reason"]), Str(Choice(finish)["native_finish_reason"])));
        var last = chunks[^1];
        Assert.Empty(last["choices"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(whole["usage"], last["usage"]), last["usage"]!.ToJsonString());
        Assert.True(translator.IsComplete);
        Assert.Empty(translator.Complete());
    }

    [Fact]
    public void A_streamed_tool_use_gives_the_id_and_name_first_then_argument_fragments()
    {
        var request = MessagesRequest("""
            {"messages":[{"role":"user","content":"Rome"}],"tool_choice":"required","stream":true,
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """);

        var chunks = Translate(new AnthropicStreamTranslator(), AnthropicEvents(request));

        var calls = chunks.Where(chunk => chunk["choices"]!.AsArray().Count > 0 && Delta(chunk)["tool_calls"] is not null)
            .Select(chunk => Delta(chunk)["tool_calls"]![0]!).ToList();
        Assert.Equal(("toolu_01test", "get_weather", 0), (Str(calls[0]["id"]), Str(calls[0]["function"]!["name"]), (int)calls[0]["index"]!));
        Assert.True(calls.Count >= 2);
        Assert.All(calls.Skip(1), call => Assert.Null(call["id"]));
        var arguments = string.Concat(calls.Select(call => Str(call["function"]!["arguments"])));
        Assert.True(JsonNode.DeepEquals(AnthropicResponse(request)["content"]![0]!["input"], JsonNode.Parse(arguments)));
        Assert.Equal(("tool_calls", "tool_use"), (Str(Choice(chunks[^2])["finish_reason"]), Str(Choice(chunks[^2])["native_finish_reason"])));
    }

    [Fact]
    public void Cache_usage_from_message_start_reaches_the_usage_chunk()
    {
        var request = MessagesRequest("""{"messages":[{"role":"user","content":"one two three four"}],"stream":true}""");

        var chunks = Translate(new AnthropicStreamTranslator(), AnthropicEvents(request, new CacheUsage(CreationTokens: 0, ReadTokens: 3)));

        var usage = chunks[^1]["usage"]!;
        Assert.Equal(4, (int)usage["prompt_tokens"]!);
        Assert.Equal(3, (int)usage["prompt_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(5, (int)usage["completion_tokens"]!);
    }

    [Fact]
    public void An_error_event_ends_the_stream_with_an_error_chunk()
    {
        var request = MessagesRequest("""{"messages":[{"role":"user","content":"one two three"}],"stream":true}""");
        var events = AnthropicEvents(request).Take(4).Append(AnthropicWireFormat.Instance.StreamError(529));
        var translator = new AnthropicStreamTranslator();

        var chunks = Translate(translator, events);

        var error = chunks[^1];
        Assert.Equal(503, (int)error["error"]!["code"]!);
        Assert.Contains("Overloaded", Str(error["error"]!["message"]));
        Assert.Equal(("error", "overloaded_error"), (Str(Choice(error)["finish_reason"]), Str(Choice(error)["native_finish_reason"])));
        Assert.True(translator.IsComplete);
        Assert.Empty(translator.OnEvent("message_stop", """{"type":"message_stop"}"""));
    }

    [Fact]
    public void A_stream_that_breaks_off_is_completed_with_an_error_chunk()
    {
        var request = MessagesRequest("""{"messages":[{"role":"user","content":"one two three"}],"stream":true}""");
        var translator = new AnthropicStreamTranslator();
        Translate(translator, AnthropicEvents(request).Take(5));

        var closing = Assert.Single(translator.Complete());

        Assert.Equal(502, (int)closing["error"]!["code"]!);
        Assert.Equal("error", Str(Choice(closing)["finish_reason"]));
    }

    [Fact]
    public void Ping_and_block_stop_events_give_nothing_and_bad_data_is_refused()
    {
        var translator = new AnthropicStreamTranslator();

        Assert.Empty(translator.OnEvent("ping", """{"type":"ping"}"""));
        Assert.Empty(translator.OnEvent("content_block_stop", """{"type":"content_block_stop","index":0}"""));
        Assert.Throws<TranslationException>(() => translator.OnEvent("content_block_delta", """{"type":"content_bl"""));
    }
}
