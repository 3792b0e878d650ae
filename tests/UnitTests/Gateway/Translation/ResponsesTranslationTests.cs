using System.Text.Json.Nodes;
using Gateway.Api.Translation;

namespace UnitTests.Gateway.Translation;

public class ResponsesTranslationTests
{
    [Fact]
    public void Instructions_and_input_items_become_chat_messages_with_tool_calls_grouped()
    {
        var request = JsonNode.Parse("""
            {"model":"openai/gpt-4o","instructions":"Be brief","max_output_tokens":50,"stream":true,
             "text":{"format":{"type":"json_schema","name":"w","schema":{"type":"object"},"strict":true}},
             "tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],"tool_choice":{"type":"function","name":"f"},
             "input":[
               {"role":"user","content":[{"type":"input_text","text":"look"},{"type":"input_image","image_url":"https://x/cat.png","detail":"low"}]},
               {"type":"function_call","call_id":"c1","name":"f","arguments":"{\"a\":1}"},
               {"type":"function_call","call_id":"c2","name":"f","arguments":"{}"},
               {"type":"function_call_output","call_id":"c1","output":"one"},
               {"type":"function_call_output","call_id":"c2","output":"two"},
               {"role":"developer","content":"late system note"}]}
            """)!.AsObject();

        var chat = ResponsesEndpointTranslation.ToChatRequest(request);

        var messages = chat["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool", "tool", "system"], messages.Select(message => (string)message!["role"]!));
        Assert.Equal("image_url", (string)messages[1]!["content"]![1]!["type"]!);
        Assert.Equal("low", (string)messages[1]!["content"]![1]!["image_url"]!["detail"]!);
        Assert.Equal(["c1", "c2"], messages[2]!["tool_calls"]!.AsArray().Select(call => (string)call!["id"]!));
        Assert.Equal("c2", (string)messages[4]!["tool_call_id"]!);
        Assert.Equal(50, (int)chat["max_tokens"]!);
        Assert.True((bool)chat["stream"]!);
        Assert.Equal("f", (string)chat["tools"]![0]!["function"]!["name"]!);
        Assert.Equal("f", (string)chat["tool_choice"]!["function"]!["name"]!);
        Assert.Equal("json_schema", (string)chat["response_format"]!["type"]!);
        Assert.True((bool)chat["response_format"]!["json_schema"]!["strict"]!);
    }

    [Fact]
    public void OpenRouters_plugins_are_carried_over_for_the_gateway_to_read()
    {
        var chat = ResponsesEndpointTranslation.ToChatRequest(JsonNode.Parse("""
            {"model":"openai/gpt-4o","input":"news?","plugins":[{"id":"web","max_results":2}]}
            """)!.AsObject());

        Assert.Equal("""[{"id":"web","max_results":2}]""", chat["plugins"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"model":"m","input":"hi","previous_response_id":"resp_1"}""")]
    [InlineData("""{"model":"m","input":"hi","tools":[{"type":"file_search"}]}""")]
    [InlineData("""{"model":"m","input":[]}""")]
    [InlineData("""{"model":"m","input":[{"type":"computer_call"}]}""")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""")]
    public void Unsupported_requests_are_refused(string json)
        => Assert.Throws<TranslationException>(() => ResponsesEndpointTranslation.ToChatRequest(JsonNode.Parse(json)!.AsObject()));

    [Fact]
    public void A_completion_becomes_a_response_with_reasoning_message_and_function_call_items()
    {
        var completion = JsonNode.Parse("""
            {"id":"gen-1","created":1700000000,"model":"m","provider":"P",
             "choices":[{"message":{"role":"assistant","content":"Hi","reasoning":"thinking",
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"length"}],
             "usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4},"cost":0.001}}
            """)!.AsObject();

        var response = ResponsesEndpointTranslation.ToResponse(completion);

        Assert.Equal("response", (string)response["object"]!);
        Assert.Equal("incomplete", (string)response["status"]!);
        Assert.Equal(["reasoning", "message", "function_call"], response["output"]!.AsArray().Select(item => (string)item!["type"]!));
        Assert.Equal("Hi", (string)response["output"]![1]!["content"]![0]!["text"]!);
        Assert.Equal("call_1", (string)response["output"]![2]!["call_id"]!);
        Assert.Equal(15, (int)response["usage"]!["total_tokens"]!);
        Assert.Equal(4, (int)response["usage"]!["input_tokens_details"]!["cached_tokens"]!);
        Assert.Equal(0.001m, (decimal)response["usage"]!["cost"]!);
    }

    [Fact]
    public void A_stream_becomes_typed_events_in_order_with_items_opened_and_closed()
    {
        var events = new ChatChunkToResponsesEvents();
        JsonObject Chunk(string json) => JsonNode.Parse(json)!.AsObject();
        var all = new List<ResponsesSseEvent>();

        all.AddRange(events.OnChunk(Chunk("""{"id":"gen-2","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"}}]}""")));
        all.AddRange(events.OnChunk(Chunk("""{"id":"gen-2","choices":[{"index":0,"delta":{"content":"lo"}}]}""")));
        all.AddRange(events.OnChunk(Chunk("""{"id":"gen-2","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_9","function":{"name":"f","arguments":"{\"a\""}}]}}]}""")));
        all.AddRange(events.OnChunk(Chunk("""{"id":"gen-2","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]},"finish_reason":"tool_calls"}]}""")));
        all.AddRange(events.OnChunk(Chunk("""{"id":"gen-2","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}""")));
        all.AddRange(events.Complete());

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
             "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done",
             "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
             "response.function_call_arguments.done", "response.output_item.done", "response.completed"],
            all.Select(item => item.Name));
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(item => (int)item.Data["sequence_number"]!));
        Assert.Equal("Hello", (string)all[6].Data["text"]!);
        Assert.Equal("{\"a\":1}", (string)all[12].Data["arguments"]!);
        var completed = all[^1].Data["response"]!;
        Assert.Equal("completed", (string)completed["status"]!);
        Assert.Equal(["message", "function_call"], completed["output"]!.AsArray().Select(item => (string)item!["type"]!));
        Assert.Equal(7, (int)completed["usage"]!["total_tokens"]!);
        Assert.True(events.IsComplete);
    }

    [Fact]
    public void An_error_chunk_fails_the_response()
    {
        var events = new ChatChunkToResponsesEvents();
        events.OnChunk(JsonNode.Parse("""{"id":"gen-3","choices":[{"index":0,"delta":{"content":"partial"}}]}""")!.AsObject());

        var failed = events.OnChunk(JsonNode.Parse("""{"id":"gen-3","error":{"code":502,"message":"cut"},"choices":[]}""")!.AsObject());

        Assert.Equal(["error", "response.failed"], failed.Select(item => item.Name));
        Assert.Equal("cut", (string)failed[1].Data["response"]!["error"]!["message"]!);
        Assert.Empty(events.Complete());
    }
}
