using System.Text.Json.Nodes;
using Gateway.Api.Translation;
using static UnitTests.Gateway.Translation.TranslationJson;

namespace UnitTests.Gateway.Translation;

public class MessagesEndpointTranslationTests
{
    /// <summary>An Anthropic request in the canonical form the outbound translator writes.</summary>
    private const string AgentTurn = """
        {
          "model": "anthropic/claude-sonnet-4.5",
          "max_tokens": 8192,
          "system": [{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
          "messages": [
            {"role":"user","content":[
              {"type":"text","text":"What is in this picture, and the weather there?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]},
            {"role":"assistant","content":[
              {"type":"thinking","thinking":"Need the weather.","signature":"sig-abc"},
              {"type":"text","text":"A cat in Paris. Checking."},
              {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris","units":{"metric":true}}}]},
            {"role":"user","content":[
              {"type":"tool_result","tool_use_id":"toolu_01","content":"sunny"},
              {"type":"text","text":"And tomorrow?"}]}
          ],
          "tools": [{"name":"get_weather","description":"Weather now","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
          "tool_choice": {"type":"auto"},
          "stop_sequences": ["END"],
          "top_p": 0.9,
          "stream": true,
          "metadata": {"user_id":"user-7"},
          "thinking": {"type":"enabled","budget_tokens":2048}
        }
        """;

    [Fact]
    public void An_anthropic_request_becomes_a_chat_request_with_tool_results_before_the_users_words()
    {
        var chat = MessagesEndpointTranslation.ToChatRequest(Obj(AgentTurn));

        Assert.Equal("anthropic/claude-sonnet-4.5", Str(chat["model"]));
        var messages = chat["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool", "user"], messages.Select(message => Str(message!["role"])));
        Assert.Equal("data:image/png;base64,iVBORw0KGgo=", Str(messages[1]!["content"]![1]!["image_url"]!["url"]));
        var assistant = messages[2]!;
        Assert.Equal(("A cat in Paris. Checking.", "Need the weather."), (Str(assistant["content"]), Str(assistant["reasoning"])));
        Assert.Equal("""{"city":"Paris","units":{"metric":true}}""", Str(assistant["tool_calls"]![0]!["function"]!["arguments"]));
        Assert.Equal(("toolu_01", "sunny"), (Str(messages[3]!["tool_call_id"]), Str(messages[3]!["content"])));
        Assert.Equal(2048, (int)chat["reasoning"]!["max_tokens"]!);
        Assert.Equal("auto", Str(chat["tool_choice"]));
        Assert.Equal(["END"], chat["stop"]!.AsArray().Select(Str));
        Assert.True((bool)chat["stream_options"]!["include_usage"]!);
        Assert.Equal("user-7", Str(chat["user"]));
        // The OpenAI emulator reads it as a chat request: it calls the tool for the user's new words, or without tools echoes them.
        Assert.Equal("get_weather", Str(Message(ChatResponse(chat))["tool_calls"]![0]!["function"]!["name"]));
        chat.Remove("tools");
        chat.Remove("tool_choice");
        Assert.Equal("Echo: And tomorrow?", Str(Message(ChatResponse(chat))["content"]));
    }

    [Fact]
    public void Round_trip_anthropic_to_chat_to_anthropic_keeps_the_request()
    {
        var original = Obj(AgentTurn);

        var chat = MessagesEndpointTranslation.ToChatRequest(original);
        var back = AnthropicOutbound.ToMessagesRequest(chat, "anthropic/claude-sonnet-4.5");

        Assert.True(JsonNode.DeepEquals(original, back), back.ToJsonString());
    }

    [Theory]
    [InlineData("""{"type":"any"}""", "\"required\"")]
    [InlineData("""{"type":"none"}""", "\"none\"")]
    [InlineData("""{"type":"tool","name":"f"}""", """{"type":"function","function":{"name":"f"}}""")]
    public void Tool_choice_maps_to_openais(string toolChoice, string expected)
    {
        var chat = MessagesEndpointTranslation.ToChatRequest(Obj("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":""" + toolChoice + "}"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), chat["tool_choice"]));
    }

    [Fact]
    public void Error_tool_results_are_marked_and_server_tools_are_refused()
    {
        var chat = MessagesEndpointTranslation.ToChatRequest(Obj("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"boom","is_error":true}]}]}
            """));

        Assert.Equal("Error: boom", Str(chat["messages"]![0]!["content"]));
        var error = Assert.Throws<TranslationException>(() => MessagesEndpointTranslation.ToChatRequest(Obj("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}
            """)));
        Assert.Contains("web_search_20250305", error.Message);
    }

    [Fact]
    public void A_chat_completion_becomes_an_anthropic_message_with_blocks_stop_reason_and_usage()
    {
        var completion = Obj("""
            {"id":"gen-1","object":"chat.completion","model":"openai/gpt-4o","choices":[{"index":0,
              "message":{"role":"assistant","content":"Let me check.","reasoning":"thinking...",
                "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
              "finish_reason":"tool_calls","native_finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,
               "prompt_tokens_details":{"cached_tokens":100,"cache_write_tokens":0},"completion_tokens_details":{"reasoning_tokens":10}}}
            """);

        var message = MessagesEndpointTranslation.ToMessagesResponse(completion);

        Assert.True(JsonNode.DeepEquals(Obj("""
            {"id":"gen-1","type":"message","role":"assistant","model":"openai/gpt-4o",
             "content":[{"type":"thinking","thinking":"thinking...","signature":""},
                        {"type":"text","text":"Let me check."},
                        {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Rome"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":30}}
            """), message), message.ToJsonString());
    }

    [Fact]
    public void A_refusal_becomes_the_text_and_stops_with_refusal()
    {
        var message = MessagesEndpointTranslation.ToMessagesResponse(Obj("""
            {"id":"gen-2","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
              "finish_reason":"content_filter"}],"usage":{"prompt_tokens":3,"completion_tokens":6,"total_tokens":9}}
            """));

        Assert.Equal("I can't help with that.", Str(message["content"]![0]!["text"]));
        Assert.Equal("refusal", Str(message["stop_reason"]));
        Assert.Equal((3, 6), ((int)message["usage"]!["input_tokens"]!, (int)message["usage"]!["output_tokens"]!));
    }

    [Fact]
    public void An_anthropic_answer_survives_the_trip_through_the_chat_format()
    {
        var request = AnthropicOutbound.ToMessagesRequest(Obj("""{"messages":[{"role":"user","content":"Hello Claude"}],"reasoning":{"max_tokens":1024}}"""), "claude");
        var native = AnthropicResponse(request);

        var back = MessagesEndpointTranslation.ToMessagesResponse(AnthropicResponses.ToChatCompletion(native));

        Assert.True(JsonNode.DeepEquals(native["content"], back["content"]), back["content"]!.ToJsonString());
        Assert.Equal(Str(native["stop_reason"]), Str(back["stop_reason"]));
        Assert.True(JsonNode.DeepEquals(native["usage"], back["usage"]), back["usage"]!.ToJsonString());
    }
}

public class ChatChunkToAnthropicEventsTests
{
    private static List<AnthropicSseEvent> Translate(ChatChunkToAnthropicEvents translator, IEnumerable<JsonObject> chunks) =>
        [.. chunks.SelectMany(translator.OnChunk), .. translator.Complete()];

    [Fact]
    public void The_openai_emulators_stream_becomes_an_anthropic_event_stream()
    {
        var chat = MessagesEndpointTranslation.ToChatRequest(Obj("""
            {"model":"openai/gpt-4o","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"one two three"}]}
            """));
        var translator = new ChatChunkToAnthropicEvents();

        var events = Translate(translator, ChatChunks(chat));

        Assert.Equal(["message_start", "content_block_start", "content_block_delta"], events.Take(3).Select(e => e.Name));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.TakeLast(3).Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, Str(e.Data["type"])));
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => Str(e.Data["delta"]!["text"])));
        Assert.Equal("Echo: one two three", text);
        var delta = events[^2].Data;
        Assert.Equal("end_turn", Str(delta["delta"]!["stop_reason"]));
        Assert.Equal((3, 4), ((int)delta["usage"]!["input_tokens"]!, (int)delta["usage"]!["output_tokens"]!));
        Assert.True(translator.IsComplete);
    }

    [Fact]
    public void Reasoning_text_and_tool_calls_each_get_their_own_block_in_order()
    {
        var chunks = new[]
        {
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"reasoning":"Let me"}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"reasoning":" think."}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","signature":"sig","format":"anthropic-claude-v1"}]}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"content":"Calling."}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}}]}""",
            """{"id":"gen-1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"id":"gen-1","model":"m","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}""",
        }.Select(Obj);

        var events = Translate(new ChatChunkToAnthropicEvents(), chunks);

        Assert.Equal(
            ["message_start",
             "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
             "message_delta", "message_stop"],
            events.Select(e => e.Name));
        Assert.Equal("gen-1", Str(events[0].Data["message"]!["id"]));
        Assert.Equal(("thinking", 0), (Str(events[1].Data["content_block"]!["type"]), (int)events[1].Data["index"]!));
        Assert.Equal(("signature_delta", "sig"), (Str(events[4].Data["delta"]!["type"]), Str(events[4].Data["delta"]!["signature"])));
        Assert.Equal(("text", 1), (Str(events[6].Data["content_block"]!["type"]), (int)events[6].Data["index"]!));
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"tool_use","id":"call_1","name":"f","input":{}}"""), events[9].Data["content_block"]));
        Assert.Equal("""{"a":1}""", Str(events[10].Data["delta"]!["partial_json"]) + Str(events[11].Data["delta"]!["partial_json"]));
        Assert.Equal(2, (int)events[11].Data["index"]!);
        Assert.Equal("tool_use", Str(events[13].Data["delta"]!["stop_reason"]));
        Assert.Equal((10, 5), ((int)events[13].Data["usage"]!["input_tokens"]!, (int)events[13].Data["usage"]!["output_tokens"]!));
    }

    [Fact]
    public void An_error_chunk_becomes_an_error_event()
    {
        var translator = new ChatChunkToAnthropicEvents();
        translator.OnChunk(Obj("""{"id":"g","model":"m","choices":[{"index":0,"delta":{"content":"par"}}]}"""));

        var events = translator.OnChunk(Obj("""{"id":"g","model":"m","error":{"code":429,"message":"Slow down"},"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}"""));

        var error = Assert.Single(events);
        Assert.Equal("error", error.Name);
        Assert.Equal(("rate_limit_error", "Slow down"), (Str(error.Data["error"]!["type"]), Str(error.Data["error"]!["message"])));
        Assert.Empty(translator.Complete());
    }

    [Fact]
    public void The_anthropic_emulators_stream_survives_the_trip_through_chat_chunks()
    {
        var request = AnthropicOutbound.ToMessagesRequest(Obj("""{"messages":[{"role":"user","content":"Hello Claude"}],"reasoning":{"max_tokens":1024},"stream":true}"""), "claude");
        var native = AnthropicEvents(request);
        var toChat = new AnthropicStreamTranslator();

        var events = Translate(new ChatChunkToAnthropicEvents(), native.SelectMany(e => toChat.OnEvent(e.EventType, e.Data)));

        Assert.Equal(native.Where(e => e.EventType != "ping").Select(e => e.EventType), events.Select(e => e.Name));
        string Deltas(IEnumerable<JsonNode?> deltas, string field) => string.Concat(deltas.Select(delta => delta?[field]?.GetValue<string>()));
        var nativeDeltas = native.Where(e => e.EventType == "content_block_delta").Select(e => Obj(e.Data)["delta"]).ToList();
        var translatedDeltas = events.Where(e => e.Name == "content_block_delta").Select(e => e.Data["delta"]).ToList();
        Assert.Equal(Deltas(nativeDeltas, "thinking"), Deltas(translatedDeltas, "thinking"));
        Assert.Equal(Deltas(nativeDeltas, "text"), Deltas(translatedDeltas, "text"));
        Assert.Equal(Deltas(nativeDeltas, "signature"), Deltas(translatedDeltas, "signature"));
        Assert.Equal("end_turn", Str(events[^2].Data["delta"]!["stop_reason"]));
    }
}
