using System.Text.Json.Nodes;
using Emulators.Gemini;
using Gateway.Api.Translation;
using static UnitTests.Gateway.Translation.TranslationJson;

namespace UnitTests.Gateway.Translation;

public class GeminiOutboundTests
{
    private static JsonObject Translate(string openAiRequest) => GeminiOutbound.ToGenerateContentRequest(Obj(openAiRequest));

    [Fact]
    public void System_goes_to_system_instruction_and_turns_get_user_and_model_roles_with_media_parts()
    {
        var request = Translate("""
            {"model":"google/gemini-2.5-flash","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"first"},
              {"role":"assistant","content":"Echo: first"},
              {"role":"user","content":[{"type":"text","text":"second turn"},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},
                {"type":"image_url","image_url":{"url":"https://example.com/photo.webp"}}]}]}
            """);

        Assert.Equal("Be brief.", Str(request["systemInstruction"]!["parts"]![0]!["text"]));
        var contents = request["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(content => Str(content!["role"])));
        var parts = contents[2]!["parts"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(Obj("""{"inlineData":{"mimeType":"image/png","data":"iVBOR"}}"""), parts[1]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/photo.webp"}}"""), parts[2]));
        Assert.False(request.ContainsKey("model"));
        Assert.Equal("Echo: second turn", GenerateContentFactory.Plan(AsGenerateContentRequest(request)).Reply.Text);
    }

    [Fact]
    public void Audio_and_pdf_files_become_inline_data()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"SUQz","format":"mp3"}},
              {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}}]}]}
            """);

        var parts = request["contents"]![0]!["parts"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(Obj("""{"inlineData":{"mimeType":"audio/mp3","data":"SUQz"}}"""), parts[0]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"inlineData":{"mimeType":"application/pdf","data":"JVBERi0x"}}"""), parts[1]));
    }

    [Fact]
    public void Tool_results_become_function_responses_named_after_the_call_they_answer_in_one_turn()
    {
        var request = Translate("""
            {"messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_a","content":"{\"sky\":\"sunny\"}"},
              {"role":"tool","tool_call_id":"call_b","content":"noon"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"additionalProperties":false}}},
                      {"type":"function","function":{"name":"get_time"}}]}
            """);

        var contents = request["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(content => Str(content!["role"])));
        Assert.True(JsonNode.DeepEquals(Obj("""{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}"""), contents[1]!["parts"]![0]));
        var results = contents[2]!["parts"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(Obj("""{"functionResponse":{"name":"get_weather","response":{"sky":"sunny"}}}"""), results[0]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"functionResponse":{"name":"get_time","response":{"result":"noon"}}}"""), results[1]));
        var declarations = request["tools"]![0]!["functionDeclarations"]!.AsArray();
        Assert.Equal(["get_weather", "get_time"], declarations.Select(declaration => Str(declaration!["name"])));
        Assert.False(declarations[0]!["parametersJsonSchema"]!["additionalProperties"]!.GetValue<bool>());
        // After function responses the emulator answers instead of calling again: the loop ends.
        Assert.Null(GenerateContentFactory.Plan(AsGenerateContentRequest(request)).FunctionCall);
    }

    [Fact]
    public void A_tool_result_for_an_unknown_call_is_refused()
    {
        var error = Assert.Throws<TranslationException>(() => Translate("""
            {"messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_x","content":"42"}]}
            """));

        Assert.Contains("messages[1].tool_call_id", error.Message);
    }

    [Theory]
    [InlineData("\"auto\"", """{"functionCallingConfig":{"mode":"AUTO"}}""")]
    [InlineData("\"none\"", """{"functionCallingConfig":{"mode":"NONE"}}""")]
    [InlineData("\"required\"", """{"functionCallingConfig":{"mode":"ANY"}}""")]
    [InlineData("""{"type":"function","function":{"name":"lookup"}}""", """{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["lookup"]}}""")]
    public void Tool_choice_becomes_the_function_calling_mode(string toolChoice, string expected)
    {
        var request = Translate("""{"messages":[{"role":"user","content":"hi"}],"tool_choice":""" + toolChoice
            + ""","tools":[{"type":"function","function":{"name":"lookup"}}]}""");

        Assert.True(JsonNode.DeepEquals(Obj(expected), request["toolConfig"]), request["toolConfig"]!.ToJsonString());
        AsGenerateContentRequest(request);
    }

    [Fact]
    public void Sampling_stop_and_json_schema_go_to_the_generation_config()
    {
        var request = Translate("""
            {"messages":[{"role":"user","content":"hi"}],"max_completion_tokens":300,"temperature":0.2,"top_p":0.9,"top_k":40,
             "stop":["END","STOP"],"seed":1,
             "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object","properties":{"answer":{"type":"string"}}}}}}
            """);

        Assert.True(JsonNode.DeepEquals(Obj("""
            {"maxOutputTokens":300,"temperature":0.2,"topP":0.9,"topK":40,"stopSequences":["END","STOP"],"seed":1,
             "responseMimeType":"application/json","responseJsonSchema":{"type":"object","properties":{"answer":{"type":"string"}}}}
            """), request["generationConfig"]), request["generationConfig"]!.ToJsonString());
        // The emulator builds its JSON reply from the schema.
        Assert.StartsWith("{", GenerateContentFactory.Plan(AsGenerateContentRequest(request)).Reply.Text);
    }

    [Theory]
    [InlineData("""{"max_tokens":2000}""", null, 2000)]
    [InlineData("""{"effort":"high"}""", 1000, 800)]
    [InlineData("""{"effort":"low"}""", null, 2048)]
    [InlineData("""{"enabled":true}""", null, 8192)]
    [InlineData("""{"max_tokens":100000}""", null, 32768)]
    public void Reasoning_becomes_a_thinking_budget_with_thoughts_included(string reasoning, int? maxTokens, int expectedBudget)
    {
        var max = maxTokens is null ? "" : $"\"max_tokens\":{maxTokens},";
        var request = Translate("{" + max + """ "messages":[{"role":"user","content":"hi"}],"reasoning":""" + reasoning + "}");

        Assert.True(JsonNode.DeepEquals(Obj($$"""{"thinkingBudget":{{expectedBudget}},"includeThoughts":true}"""), request["generationConfig"]!["thinkingConfig"]));
        AsGenerateContentRequest(request);
    }

    [Fact]
    public void Excluded_reasoning_hides_the_thoughts_and_no_reasoning_sends_no_thinking_config()
    {
        var excluded = Translate("""{"messages":[{"role":"user","content":"hi"}],"reasoning":{"max_tokens":512,"exclude":true}}""");
        var plain = Translate("""{"messages":[{"role":"user","content":"hi"}]}""");

        Assert.False(excluded["generationConfig"]!["thinkingConfig"]!["includeThoughts"]!.GetValue<bool>());
        Assert.False(plain.ContainsKey("generationConfig"));
    }

    [Theory]
    [InlineData("gemini-2.5-flash", false, "v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("gemini-2.5-flash", true, "v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")]
    [InlineData("models/gemini-2.5-pro", true, "v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse")]
    public void The_path_names_the_model_and_asks_for_server_sent_events_when_streaming(string model, bool stream, string expected)
    {
        Assert.Equal(expected, GeminiOutbound.Path(model, stream));
        Assert.Equal(expected["v1beta/".Length..], GeminiOutbound.PathFromVersionedBase(model, stream));
        Assert.Equal("key", GeminiOutbound.Headers("key")["x-goog-api-key"]);
    }
}

public class GeminiResponsesTests
{
    private static JsonObject Request(string openAiRequest) => GeminiOutbound.ToGenerateContentRequest(Obj(openAiRequest));

    [Fact]
    public void Thoughts_become_reasoning_and_count_in_the_completion_tokens()
    {
        var response = GeminiResponse(Request("""{"messages":[{"role":"user","content":"Hello Gemini"}],"reasoning":{"max_tokens":1024}}"""));

        var completion = GeminiResponses.ToChatCompletion(response, created: 7);

        var message = Message(completion);
        Assert.Equal("Echo: Hello Gemini", Str(message["content"]));
        Assert.StartsWith("The user wrote", Str(message["reasoning"]));
        Assert.Equal(("resp-test", "gemini-2.5-flash", 7L), (Str(completion["id"]), Str(completion["model"]), (long)completion["created"]!));
        Assert.Equal(("stop", "STOP"), (Str(Choice(completion)["finish_reason"]), Str(Choice(completion)["native_finish_reason"])));
        var usage = completion["usage"]!;
        Assert.Equal(2, (int)usage["prompt_tokens"]!);
        // 1024 / 16 = 64 thought tokens plus the 3 of the reply.
        Assert.Equal(67, (int)usage["completion_tokens"]!);
        Assert.Equal(64, (int)usage["completion_tokens_details"]!["reasoning_tokens"]!);
        Assert.Equal(69, (int)usage["total_tokens"]!);
    }

    [Fact]
    public void A_function_call_becomes_a_tool_call_and_finishes_with_tool_calls()
    {
        var response = GeminiResponse(Request("""
            {"messages":[{"role":"user","content":"Rome"}],"tool_choice":"required",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """));

        var completion = GeminiResponses.ToChatCompletion(response);

        var message = Message(completion);
        Assert.Null(message["content"]);
        var call = message["tool_calls"]![0]!;
        Assert.StartsWith("call_", Str(call["id"]));
        Assert.Equal("get_weather", Str(call["function"]!["name"]));
        var functionCall = response["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!;
        Assert.True(JsonNode.DeepEquals(functionCall["args"], JsonNode.Parse(Str(call["function"]!["arguments"])!)));
        Assert.Equal(("tool_calls", "STOP"), (Str(Choice(completion)["finish_reason"]), Str(Choice(completion)["native_finish_reason"])));
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("MALFORMED_FUNCTION_CALL", "error")]
    public void Finish_reasons_are_normalised_and_kept_as_native(string finishReason, string expected)
    {
        var completion = GeminiResponses.ToChatCompletion(Obj("""{"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":""" + "\"" + finishReason + "\""
            + ""","index":0}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"gemini","responseId":"r"}"""));

        Assert.Equal((expected, finishReason), (Str(Choice(completion)["finish_reason"]), Str(Choice(completion)["native_finish_reason"])));
    }

    [Fact]
    public void Cached_content_tokens_are_the_cached_prompt_tokens()
    {
        var completion = GeminiResponses.ToChatCompletion(Obj("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":2000,"candidatesTokenCount":10,"cachedContentTokenCount":1920,"thoughtsTokenCount":5,"totalTokenCount":2015}}
            """));

        var usage = completion["usage"]!;
        Assert.Equal((2000, 1920, 15, 5, 2015), ((int)usage["prompt_tokens"]!, (int)usage["prompt_tokens_details"]!["cached_tokens"]!,
            (int)usage["completion_tokens"]!, (int)usage["completion_tokens_details"]!["reasoning_tokens"]!, (int)usage["total_tokens"]!));
    }

    [Fact]
    public void A_blocked_prompt_finishes_with_content_filter()
    {
        var completion = GeminiResponses.ToChatCompletion(Obj("""
            {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":4,"totalTokenCount":4}}
            """));

        Assert.Equal(("content_filter", "SAFETY"), (Str(Choice(completion)["finish_reason"]), Str(Choice(completion)["native_finish_reason"])));
        Assert.Equal("", Str(Message(completion)["content"]));
    }
}

public class GeminiStreamTranslatorTests
{
    private static JsonObject Request(string openAiRequest) => GeminiOutbound.ToGenerateContentRequest(Obj(openAiRequest));

    [Fact]
    public void The_emulators_stream_becomes_reasoning_and_content_deltas_then_finish_and_usage_chunks()
    {
        var request = Request("""{"messages":[{"role":"user","content":"Hello there Gemini"}],"reasoning":{"max_tokens":1024}}""");
        var translator = new GeminiStreamTranslator(created: 5);

        var chunks = GeminiChunks(request).SelectMany(translator.OnData).ToList();

        var whole = GeminiResponses.ToChatCompletion(GeminiResponse(request));
        Assert.Equal("assistant", Str(Delta(chunks[0])["role"]));
        Assert.All(chunks, chunk => Assert.Equal(("resp-test", 5L), (Str(chunk["id"]), (long)chunk["created"]!)));
        Assert.Equal(Str(Message(whole)["content"]), Concat(chunks, "content"));
        Assert.Equal(Str(Message(whole)["reasoning"]), Concat(chunks, "reasoning"));
        Assert.Equal(("stop", "STOP"), (Str(Choice(chunks[^2])["finish_reason"]), Str(Choice(chunks[^2])["native_finish_reason"])));
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(whole["usage"], chunks[^1]["usage"]));
        Assert.True(translator.IsComplete);
        Assert.Empty(translator.Complete());
    }

    [Fact]
    public void A_streamed_function_call_is_one_tool_call_delta_and_finishes_with_tool_calls()
    {
        var request = Request("""
            {"messages":[{"role":"user","content":"Rome"}],"tool_choice":"required",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """);

        var chunks = GeminiChunks(request).SelectMany(new GeminiStreamTranslator().OnData).ToList();

        var call = Assert.Single(chunks, chunk => chunk["choices"]!.AsArray().Count > 0 && Delta(chunk)["tool_calls"] is not null);
        var toolCall = Delta(call)["tool_calls"]![0]!;
        Assert.Equal((0, "get_weather"), ((int)toolCall["index"]!, Str(toolCall["function"]!["name"])));
        Assert.IsType<JsonObject>(JsonNode.Parse(Str(toolCall["function"]!["arguments"])!));
        Assert.Equal("tool_calls", Str(Choice(chunks[^2])["finish_reason"]));
    }

    [Fact]
    public void An_error_payload_ends_the_stream_with_an_error_chunk()
    {
        var request = Request("""{"messages":[{"role":"user","content":"one two three"}]}""");
        var translator = new GeminiStreamTranslator();
        var data = GeminiChunks(request).Take(2).Append(GeminiWireFormat.Instance.StreamError(503).Data);

        var chunks = data.SelectMany(translator.OnData).ToList();

        var error = chunks[^1];
        Assert.Equal(503, (int)error["error"]!["code"]!);
        Assert.Equal(("error", "UNAVAILABLE"), (Str(Choice(error)["finish_reason"]), Str(Choice(error)["native_finish_reason"])));
        Assert.True(translator.IsComplete);
    }

    [Fact]
    public void A_stream_without_a_finish_reason_is_completed_with_an_error_chunk()
    {
        var translator = new GeminiStreamTranslator();
        foreach (var data in GeminiChunks(Request("""{"messages":[{"role":"user","content":"one two three"}]}""")).SkipLast(1))
        {
            translator.OnData(data);
        }

        var closing = Assert.Single(translator.Complete());

        Assert.Equal((502, "error"), ((int)closing["error"]!["code"]!, Str(Choice(closing)["finish_reason"])));
    }
}
