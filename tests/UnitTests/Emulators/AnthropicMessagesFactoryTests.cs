using System.Text.Json;
using Emulators.Anthropic;
using Emulators.Common;

namespace UnitTests.Emulators;

public class AnthropicMessagesFactoryTests
{
    private static readonly MessageStamp Stamp = new("msg_01test", "toolu_01test", "sig");

    private static MessagesRequest Parse(string json) => JsonSerializer.Deserialize(json, AnthropicJsonContext.Default.MessagesRequest)!;

    private static MessagesRequest FromUser(string text, int maxTokens = 100) =>
        Parse($$"""{"model":"claude-sonnet-4-5","max_tokens":{{maxTokens}},"messages":[{"role":"user","content":{{JsonSerializer.Serialize(text)}}}]}""");

    private static List<JsonElement> Events(MessagesRequest request) =>
        [.. MessagesFactory.CreateEvents(request, Stamp, CacheUsage.None).Select(streamEvent => JsonDocument.Parse(streamEvent.Data).RootElement)];

    [Fact]
    public void Content_is_read_from_a_string_or_from_blocks_and_system_from_either()
    {
        var request = Parse("""
            {
              "model": "claude-sonnet-4-5", "max_tokens": 10,
              "system": [{ "type": "text", "text": "Be brief.", "cache_control": { "type": "ephemeral" } }],
              "messages": [
                { "role": "user", "content": "plain" },
                { "role": "assistant", "content": [{ "type": "text", "text": "Echo: plain" }] },
                { "role": "user", "content": [
                  { "type": "image", "source": { "type": "base64", "media_type": "image/png", "data": "iVBORw0" } },
                  { "type": "text", "text": "look here" }
                ] }
              ]
            }
            """);

        Assert.Equal("Be brief.", Assert.Single(request.System!).Text);
        Assert.Equal(("text", "plain"), (request.Messages![0].Content![0].Type, request.Messages[0].Content![0].Text));
        Assert.Equal("image", request.Messages[2].Content![0].Type);
        Assert.Equal("Echo: look here", MessagesFactory.Plan(request).Reply.Text);
        // System 2 + "plain" 1 + "Echo: plain" 2 + "look here" 2; the image counts nothing.
        Assert.Equal(7, MessagesFactory.CountInputTokens(Parse(JsonSerializer.Serialize(request, AnthropicJsonContext.Default.MessagesRequest))));
    }

    [Fact]
    public void The_response_echoes_the_last_user_message_with_end_turn_and_usage()
    {
        var response = MessagesFactory.CreateResponse(FromUser("Hello Claude"), Stamp, CacheUsage.None);

        Assert.Equal(("msg_01test", "message", "assistant", "claude-sonnet-4-5"), (response.Id, response.Type, response.Role, response.Model));
        var block = Assert.Single(response.Content);
        Assert.Equal(("text", "Echo: Hello Claude"), (block.Type, block.Text));
        Assert.Equal("end_turn", response.StopReason);
        Assert.Null(response.StopSequence);
        Assert.Equal(new AnthropicUsage { InputTokens = 2, OutputTokens = 3 }, response.Usage);
    }

    [Fact]
    public void Max_tokens_cuts_the_reply_with_stop_reason_max_tokens()
    {
        var response = MessagesFactory.CreateResponse(FromUser("one two three", maxTokens: 2), Stamp, CacheUsage.None);

        Assert.Equal(("Echo: one", "max_tokens", 2), (response.Content[0].Text, response.StopReason, response.Usage.OutputTokens));
    }

    [Fact]
    public void A_stop_sequence_ends_the_reply_with_stop_reason_stop_sequence()
    {
        var response = MessagesFactory.CreateResponse(FromUser("one two three") with { StopSequences = ["two"] }, Stamp, CacheUsage.None);

        Assert.Equal(("Echo: one", "stop_sequence", "two"), (response.Content[0].Text, response.StopReason, response.StopSequence));
    }

    [Fact]
    public void Thinking_comes_first_as_a_signed_block_and_counts_in_the_output_tokens()
    {
        var request = FromUser("think first", maxTokens: 2048) with { Thinking = new ThinkingConfig { Type = "enabled", BudgetTokens = 1024 } };

        var response = MessagesFactory.CreateResponse(request, Stamp, CacheUsage.None);

        Assert.Equal(["thinking", "text"], response.Content.Select(block => block.Type));
        Assert.Equal(64, TokenCounter.Count(response.Content[0].Thinking));
        Assert.Equal("sig", response.Content[0].Signature);
        Assert.Equal(64 + 3, response.Usage.OutputTokens);
    }

    [Fact]
    public void With_tools_the_model_uses_the_first_tool_with_stop_reason_tool_use()
    {
        var request = Parse("""
            {
              "model": "claude-sonnet-4-5", "max_tokens": 100,
              "tools": [
                { "name": "get_weather", "description": "Weather", "input_schema": { "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"] } },
                { "name": "get_time", "input_schema": { "type": "object" } }
              ],
              "messages": [{ "role": "user", "content": "Paris" }]
            }
            """);

        var response = MessagesFactory.CreateResponse(request, Stamp, CacheUsage.None);

        var block = Assert.Single(response.Content);
        Assert.Equal(("tool_use", "toolu_01test", "get_weather"), (block.Type, block.Id, block.Name));
        Assert.Equal("Paris", block.Input!.Value.GetProperty("city").GetString());
        Assert.Equal("tool_use", response.StopReason);
        Assert.Equal(2, response.Usage.OutputTokens);

        var named = MessagesFactory.CreateResponse(request with { ToolChoice = new AnthropicToolChoice { Type = "tool", Name = "get_time" } }, Stamp, CacheUsage.None);
        Assert.Equal("get_time", named.Content[0].Name);
        var none = MessagesFactory.CreateResponse(request with { ToolChoice = new AnthropicToolChoice { Type = "none" } }, Stamp, CacheUsage.None);
        Assert.Equal(("text", "end_turn"), (none.Content[0].Type, none.StopReason));
    }

    [Fact]
    public void After_tool_results_auto_answers_with_text_echoing_the_result()
    {
        var request = Parse("""
            {
              "model": "claude-sonnet-4-5", "max_tokens": 100,
              "tools": [{ "name": "get_weather", "input_schema": { "type": "object" } }],
              "messages": [
                { "role": "user", "content": "Paris" },
                { "role": "assistant", "content": [{ "type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {} }] },
                { "role": "user", "content": [{ "type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny and warm" }] }
              ]
            }
            """);

        var response = MessagesFactory.CreateResponse(request, Stamp, CacheUsage.None);

        Assert.Equal(("text", "Echo: sunny and warm", "end_turn"), (response.Content[0].Type, response.Content[0].Text, response.StopReason));
        Assert.Equal("tool_use", MessagesFactory.CreateResponse(request with { ToolChoice = new AnthropicToolChoice { Type = "any" } }, Stamp, CacheUsage.None).StopReason);
    }

    [Fact]
    public void The_stream_follows_Anthropic_event_order()
    {
        var events = MessagesFactory.CreateEvents(FromUser("one two"), Stamp, CacheUsage.None);

        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_stop", "message_delta", "message_stop"],
            events.Select(streamEvent => streamEvent.EventType));
        Assert.All(events, streamEvent => Assert.Equal(streamEvent.EventType, JsonDocument.Parse(streamEvent.Data).RootElement.GetProperty("type").GetString()));
        Assert.Equal(3, events.Count(streamEvent => streamEvent.CarriesToken));
    }

    [Fact]
    public void Stream_events_carry_the_message_deltas_and_usage()
    {
        var events = Events(FromUser("one two three", maxTokens: 3));

        var message = events[0].GetProperty("message");
        Assert.Equal(0, message.GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_reason").ValueKind);
        Assert.Equal(3, message.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal("", events[1].GetProperty("content_block").GetProperty("text").GetString());
        var texts = events.Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("delta").GetProperty("type").GetString(), e.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal([(0, "text_delta", "Echo:"), (0, "text_delta", " one"), (0, "text_delta", " two")], texts);
        var messageDelta = events[^2];
        Assert.Equal("max_tokens", messageDelta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, messageDelta.GetProperty("delta").GetProperty("stop_sequence").ValueKind);
        Assert.Equal(3, messageDelta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public void A_thinking_stream_sends_thinking_deltas_and_a_signature_in_block_0_then_text_in_block_1()
    {
        var request = FromUser("hi", maxTokens: 2000) with { Thinking = new ThinkingConfig { Type = "enabled", BudgetTokens = 1024 } };

        var events = Events(request);

        var deltas = events.Where(e => e.GetProperty("type").GetString() == "content_block_delta").ToList();
        Assert.Equal(64, deltas.Count(d => d.GetProperty("delta").GetProperty("type").GetString() == "thinking_delta"));
        Assert.All(deltas.Where(d => d.GetProperty("index").GetInt32() == 0).SkipLast(1),
            d => Assert.Equal("thinking_delta", d.GetProperty("delta").GetProperty("type").GetString()));
        Assert.Equal("signature_delta", deltas.Last(d => d.GetProperty("index").GetInt32() == 0).GetProperty("delta").GetProperty("type").GetString());
        Assert.All(deltas.Where(d => d.GetProperty("index").GetInt32() == 1),
            d => Assert.Equal("text_delta", d.GetProperty("delta").GetProperty("type").GetString()));
        Assert.Equal(66, events[^2].GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public void A_tool_use_stream_sends_input_json_deltas_that_add_up_to_the_input()
    {
        var request = Parse("""
            {
              "model": "claude-sonnet-4-5", "max_tokens": 100, "stream": true,
              "tools": [{ "name": "search", "input_schema": { "type": "object", "properties": { "q": { "type": "string" } }, "required": ["q"] } }],
              "messages": [{ "role": "user", "content": "cheap flights to Rome" }]
            }
            """);

        var events = Events(request);

        var start = events.Single(e => e.GetProperty("type").GetString() == "content_block_start").GetProperty("content_block");
        Assert.Equal(("tool_use", "toolu_01test", "search"), (start.GetProperty("type").GetString(), start.GetProperty("id").GetString(), start.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Object, start.GetProperty("input").ValueKind);
        var json = string.Concat(events.Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => e.GetProperty("delta").GetProperty("partial_json").GetString()));
        Assert.Equal("cheap flights to Rome", JsonDocument.Parse(json).RootElement.GetProperty("q").GetString());
        Assert.Equal("tool_use", events[^2].GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void Cache_usage_moves_prompt_tokens_out_of_input_tokens()
    {
        var response = MessagesFactory.CreateResponse(FromUser("a b c d e"), Stamp, new CacheUsage(CreationTokens: 2, ReadTokens: 1));

        Assert.Equal(new AnthropicUsage { InputTokens = 2, CacheCreationInputTokens = 2, CacheReadInputTokens = 1, OutputTokens = 6 }, response.Usage);
    }

    public static TheoryData<string, string> InvalidRequests => new()
    {
        { """{"max_tokens":10,"messages":[{"role":"user","content":"x"}]}""", "model: Field required" },
        { """{"model":"c","messages":[{"role":"user","content":"x"}]}""", "max_tokens: Field required" },
        { """{"model":"c","max_tokens":0,"messages":[{"role":"user","content":"x"}]}""", "max_tokens" },
        { """{"model":"c","max_tokens":10}""", "messages: Field required" },
        { """{"model":"c","max_tokens":10,"messages":[{"role":"system","content":"x"}]}""", "top-level `system` parameter" },
        { """{"model":"c","max_tokens":10,"messages":[{"role":"bot","content":"x"}]}""", "messages.0.role" },
        { """{"model":"c","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":512},"messages":[{"role":"user","content":"x"}]}""", "budget_tokens" },
        { """{"model":"c","max_tokens":1024,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"x"}]}""", "`max_tokens` must be greater than `thinking.budget_tokens`" },
        { """{"model":"c","max_tokens":10,"tool_choice":{"type":"tool","name":"nope"},"tools":[{"name":"a","input_schema":{}}],"messages":[{"role":"user","content":"x"}]}""", "nope" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Invalid_requests_get_an_invalid_request_error(string json, string expectedMessagePart)
    {
        var error = MessagesRequestValidator.Validate(Parse(json))?.Error;

        Assert.NotNull(error);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Contains(expectedMessagePart, error.Message);
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(503, "api_error")]
    [InlineData(529, "overloaded_error")]
    public void Injected_failures_use_Anthropic_error_types(int status, string type) =>
        Assert.Equal(type, AnthropicErrors.InjectedFailure(status).Error.Type);
}

public class AnthropicPromptCacheTests
{
    private static MessagesRequest CachedSystem(int systemWords, string question) => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 10,
        System = [new ContentBlock { Type = "text", Text = string.Join(' ', Enumerable.Repeat("rule", systemWords)), CacheControl = JsonDocument.Parse("""{"type":"ephemeral"}""").RootElement }],
        Messages = [new AnthropicMessage { Role = "user", Content = [new ContentBlock { Type = "text", Text = question }] }],
    };

    [Fact]
    public void The_first_request_writes_the_cached_prefix_and_a_repeat_reads_it()
    {
        var time = new ManualTimeProvider();
        var cache = new AnthropicPromptCache(time);

        var first = cache.Use(MessagesFactory.CacheBreakpoints(CachedSystem(1500, "first question")));
        var second = cache.Use(MessagesFactory.CacheBreakpoints(CachedSystem(1500, "another question")));

        Assert.Equal(new CacheUsage(CreationTokens: 1500, ReadTokens: 0), first);
        Assert.Equal(new CacheUsage(CreationTokens: 0, ReadTokens: 1500), second);
    }

    [Fact]
    public void Short_prefixes_are_not_cached_and_entries_expire_after_five_minutes()
    {
        var time = new ManualTimeProvider();
        var cache = new AnthropicPromptCache(time);

        Assert.Equal(CacheUsage.None, cache.Use(MessagesFactory.CacheBreakpoints(CachedSystem(1000, "q"))));

        cache.Use(MessagesFactory.CacheBreakpoints(CachedSystem(1200, "q")));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(new CacheUsage(1200, 0), cache.Use(MessagesFactory.CacheBreakpoints(CachedSystem(1200, "q"))));
    }

    [Fact]
    public void A_different_prefix_misses_the_cache()
    {
        var cache = new AnthropicPromptCache(new ManualTimeProvider());

        cache.Use(MessagesFactory.CacheBreakpoints(CachedSystem(1200, "q")));

        Assert.Equal(new CacheUsage(1300, 0), cache.Use(MessagesFactory.CacheBreakpoints(CachedSystem(1300, "q"))));
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
