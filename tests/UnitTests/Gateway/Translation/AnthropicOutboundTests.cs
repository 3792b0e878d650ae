using System.Text.Json.Nodes;
using Emulators.Anthropic;
using Gateway.Api.Translation;
using static UnitTests.Gateway.Translation.TranslationJson;

namespace UnitTests.Gateway.Translation;

public class AnthropicOutboundTests
{
    private static JsonObject Translate(string openAiRequest, int? cap = null) =>
        AnthropicOutbound.ToMessagesRequest(Obj(openAiRequest), "claude-sonnet-4-5-20250929", cap);

    [Fact]
    public void System_and_developer_messages_become_the_system_blocks_and_the_model_is_the_upstream_one()
    {
        var request = Translate("""
            {"model":"anthropic/claude-sonnet-4.5","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"developer","content":[{"type":"text","text":"Answer in English.","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":"Hello"}]}
            """);

        Assert.Equal("claude-sonnet-4-5-20250929", Str(request["model"]));
        var system = request["system"]!.AsArray();
        Assert.Equal(["Be brief.", "Answer in English."], system.Select(block => Str(block!["text"])));
        Assert.Equal("ephemeral", Str(system[1]!["cache_control"]!["type"]));
        var message = Assert.Single(request["messages"]!.AsArray())!;
        Assert.Equal("user", Str(message["role"]));
        Assert.Equal("Hello", Str(message["content"]![0]!["text"]));
        // The emulator, which speaks Anthropic's wire format, accepts it and echoes the user.
        Assert.Equal("Echo: Hello", MessagesFactory.Plan(AsMessagesRequest(request)).Reply.Text);
    }

    [Fact]
    public void Image_urls_become_url_sources_and_data_urls_base64_sources_with_their_media_type()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"high"}},
              {"type":"image_url","image_url":{"url":"data:image/PNG;base64,iVBORw0KGgo="}},
              {"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}}]}]}
            """);

        var blocks = request["messages"]![0]!["content"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}}"""), blocks[1]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}"""), blocks[2]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}}"""), blocks[3]));
        AsMessagesRequest(request);
    }

    [Theory]
    [InlineData("data:image/png,notbase64", "base64 data URL")]
    [InlineData("ftp://example.com/cat.png", "http(s) URL")]
    public void An_image_url_that_cannot_be_sent_is_refused_with_a_clear_message(string url, string expected)
    {
        var error = Assert.Throws<TranslationException>(() => Translate("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":""" + "\"" + url + "\"" + """}}]}]}"""));

        Assert.Contains(expected, error.Message);
        Assert.Contains("messages[0].content[0].image_url.url", error.Message);
    }

    [Fact]
    public void Audio_is_refused_since_anthropic_models_cannot_hear()
    {
        var error = Assert.Throws<TranslationException>(() => Translate("""
            {"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}]}
            """));

        Assert.Contains("audio/wav", error.Message);
    }

    [Fact]
    public void Tool_calls_become_tool_use_blocks_and_consecutive_tool_results_one_user_turn()
    {
        var request = Translate("""
            {"messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":"Checking.","tool_calls":[
                {"id":"toolu_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"toolu_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"toolu_a","content":"sunny"},
              {"role":"tool","tool_call_id":"toolu_b","content":[{"type":"text","text":"rainy"}]},
              {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
            """);

        var messages = request["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(message => Str(message!["role"])));
        var assistant = messages[1]!["content"]!.AsArray();
        Assert.Equal(["text", "tool_use", "tool_use"], assistant.Select(block => Str(block!["type"])));
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"tool_use","id":"toolu_b","name":"get_weather","input":{"city":"Rome"}}"""), assistant[2]));
        var results = messages[2]!["content"]!.AsArray();
        Assert.Equal(["tool_result", "tool_result", "text"], results.Select(block => Str(block!["type"])));
        Assert.Equal("sunny", Str(results[0]!["content"]));
        Assert.Equal("rainy", Str(results[1]!["content"]![0]!["text"]));
        Assert.Equal("toolu_b", Str(results[1]!["tool_use_id"]));
        Assert.True(JsonNode.DeepEquals(
            Obj("""{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}"""),
            request["tools"]![0]));
        AsMessagesRequest(request);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    public void Tool_call_arguments_that_are_not_a_json_object_are_refused(string arguments)
    {
        var request = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "hi" },
                new JsonObject
                {
                    ["role"] = "assistant",
                    ["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "call_1", ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = "f", ["arguments"] = arguments },
                    }),
                }),
        };

        var error = Assert.Throws<TranslationException>(() => AnthropicOutbound.ToMessagesRequest(request, "claude"));

        Assert.Contains("messages[1].tool_calls[0].function.arguments", error.Message);
    }

    [Fact]
    public void Empty_tool_call_arguments_are_the_empty_object()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":"hi"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"now","arguments":""}}]},
              {"role":"tool","tool_call_id":"t1","content":"noon"}]}
            """);

        Assert.True(JsonNode.DeepEquals(new JsonObject(), request["messages"]![1]!["content"]![0]!["input"]));
    }

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"lookup"}}""", """{"type":"tool","name":"lookup"}""")]
    public void Tool_choice_maps_to_anthropics(string toolChoice, string expected)
    {
        var request = Translate("""{"messages":[{"role":"user","content":"hi"}],"tool_choice":""" + toolChoice
            + ""","tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{}}}}]}""");

        Assert.True(JsonNode.DeepEquals(Obj(expected), request["tool_choice"]), request["tool_choice"]!.ToJsonString());
        AsMessagesRequest(request);
    }

    [Fact]
    public void Parallel_tool_calls_false_disables_parallel_tool_use()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":"hi"}],"parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"lookup"}}]}
            """);

        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"auto","disable_parallel_tool_use":true}"""), request["tool_choice"]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"object","properties":{}}"""), request["tools"]![0]!["input_schema"]));
    }

    [Theory]
    [InlineData("", null, 4096)]
    [InlineData("\"max_tokens\":100,", null, 100)]
    [InlineData("\"max_tokens\":100,\"max_completion_tokens\":200,", null, 200)]
    [InlineData("", 1000, 1000)]
    [InlineData("\"max_tokens\":5000,", 2000, 2000)]
    public void Max_tokens_is_the_callers_else_the_default_and_never_above_the_cap(string maxTokens, int? cap, int expected)
    {
        var request = Translate("{" + maxTokens + """ "messages":[{"role":"user","content":"hi"}]}""", cap);

        Assert.Equal(expected, (int)request["max_tokens"]!);
    }

    [Fact]
    public void A_reasoning_effort_is_a_share_of_max_tokens_as_the_thinking_budget_and_drops_temperature_and_top_k()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":"think"}],"max_tokens":10000,"reasoning":{"effort":"high"},
             "temperature":0.3,"top_k":5,"top_p":0.97}
            """);

        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"enabled","budget_tokens":8000}"""), request["thinking"]));
        Assert.Equal(10000, (int)request["max_tokens"]!);
        Assert.False(request.ContainsKey("temperature"));
        Assert.False(request.ContainsKey("top_k"));
        Assert.Equal(0.97, (double)request["top_p"]!);
        AsMessagesRequest(request);
    }

    [Fact]
    public void A_reasoning_budget_without_max_tokens_comes_on_top_of_the_default()
    {
        var request = Translate("""{"messages":[{"role":"user","content":"think"}],"reasoning":{"max_tokens":2000}}""");

        Assert.Equal(2000, (int)request["thinking"]!["budget_tokens"]!);
        Assert.Equal(2000 + AnthropicOutbound.DefaultMaxTokens, (int)request["max_tokens"]!);
        // The emulator thinks a sixteenth of the budget first, and reports it as thinking.
        var response = AnthropicResponse(request);
        Assert.Equal("thinking", Str(response["content"]![0]!["type"]));
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":800,"reasoning":{"effort":"low"}}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"reasoning":{"enabled":false}}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"reasoning":{"effort":"none"}}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"reasoning":{"effort":"high"},"tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}]}""")]
    public void Thinking_is_left_out_when_it_cannot_fit_is_switched_off_or_a_tool_is_forced(string openAiRequest)
    {
        var request = Translate(openAiRequest);

        Assert.False(request.ContainsKey("thinking"));
        AsMessagesRequest(request);
    }

    [Fact]
    public void A_budget_larger_than_the_callers_max_tokens_shrinks_below_it()
    {
        var request = Translate("""{"messages":[{"role":"user","content":"x"}],"max_tokens":3000,"reasoning":{"max_tokens":5000}}""");

        Assert.Equal(2999, (int)request["thinking"]!["budget_tokens"]!);
        AsMessagesRequest(request);
    }

    [Fact]
    public void Stop_temperature_stream_and_user_map_to_their_anthropic_fields()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":"one two three"}],"stop":"two","temperature":1.7,"stream":true,"user":"user-42","seed":7}
            """);

        Assert.Equal(["two"], request["stop_sequences"]!.AsArray().Select(Str));
        Assert.Equal(1.0, (double)request["temperature"]!);
        Assert.True((bool)request["stream"]!);
        Assert.Equal("user-42", Str(request["metadata"]!["user_id"]));
        Assert.False(request.ContainsKey("seed"));
        var response = AnthropicResponse(request);
        Assert.Equal("stop_sequence", Str(response["stop_reason"]));
    }

    [Fact]
    public void A_json_schema_response_format_becomes_a_system_instruction()
    {
        var request = Translate("""
            {"messages":[{"role":"system","content":"You are a bot."},{"role":"user","content":"hi"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}}
            """);

        var system = request["system"]!.AsArray();
        Assert.Equal(2, system.Count);
        Assert.Contains("JSON schema", Str(system[1]!["text"]));
        Assert.Contains("""{"type":"object","properties":{"a":{"type":"string"}}}""", Str(system[1]!["text"]));
    }

    [Fact]
    public void Anthropic_reasoning_details_become_thinking_blocks_again_and_others_are_left_out()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":"hi"},
              {"role":"assistant","content":"Echo: hi","reasoning":"hmm",
               "reasoning_details":[
                 {"type":"reasoning.text","text":"hmm","signature":"sig-1","format":"anthropic-claude-v1","index":0},
                 {"type":"reasoning.encrypted","data":"opaque","format":"anthropic-claude-v1","index":1},
                 {"type":"reasoning.text","text":"other","format":"google-gemini-v1","index":2}]},
              {"role":"user","content":"again"}]}
            """);

        var blocks = request["messages"]![1]!["content"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"thinking","thinking":"hmm","signature":"sig-1"}"""), blocks[0]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"redacted_thinking","data":"opaque"}"""), blocks[1]));
        Assert.Equal("text", Str(blocks[2]!["type"]));
        Assert.Equal(3, blocks.Count);
    }

    [Fact]
    public void Requests_anthropic_cannot_answer_are_refused()
    {
        Assert.Contains("n greater than 1", Assert.Throws<TranslationException>(() =>
            Translate("""{"messages":[{"role":"user","content":"hi"}],"n":2}""")).Message);
        Assert.Contains("at least one user or assistant", Assert.Throws<TranslationException>(() =>
            Translate("""{"messages":[{"role":"system","content":"only a system prompt"}]}""")).Message);
        Assert.Contains("tools[0]", Assert.Throws<TranslationException>(() =>
            Translate("""{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search"}]}""")).Message);
    }

    [Fact]
    public void Headers_and_path_are_anthropics()
    {
        var headers = AnthropicOutbound.Headers("sk-ant-test");

        Assert.Equal("sk-ant-test", headers["x-api-key"]);
        Assert.Equal("2023-06-01", headers["anthropic-version"]);
        Assert.Equal("v1/messages", AnthropicOutbound.Path);
    }
}
