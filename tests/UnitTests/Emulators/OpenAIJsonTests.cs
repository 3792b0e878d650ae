using System.Text.Json;
using Emulators.OpenAI;

namespace UnitTests.Emulators;

/// <summary>The wire format as clients see it: field names and nulls exactly as OpenAI writes them.</summary>
public class OpenAIJsonTests
{
    private static JsonElement SerializeResponse(ChatCompletionRequest request) =>
        JsonSerializer.SerializeToElement(
            ChatCompletionFactory.CreateResponse(request, ChatRequests.Stamp),
            OpenAIJsonContext.Default.ChatCompletionResponse);

    private static List<JsonElement> SerializeChunks(ChatCompletionRequest request) =>
        [.. ChatCompletionFactory.CreateChunks(request, ChatRequests.Stamp)
            .Select(chunk => JsonSerializer.SerializeToElement(chunk, OpenAIJsonContext.Default.ChatCompletionChunk))];

    private static string[] PropertyNames(JsonElement element) =>
        [.. element.EnumerateObject().Select(property => property.Name)];

    [Fact]
    public void Response_uses_OpenAI_snake_case_field_names()
    {
        var json = SerializeResponse(ChatRequests.FromUser("hi"));

        Assert.Equal(["id", "object", "created", "model", "choices", "usage", "system_fingerprint"], PropertyNames(json));
        var choice = json.GetProperty("choices")[0];
        Assert.Equal(["index", "message", "logprobs", "finish_reason"], PropertyNames(choice));
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal(["role", "content", "refusal"], PropertyNames(choice.GetProperty("message")));
        var usage = json.GetProperty("usage");
        Assert.Equal(
            ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"],
            PropertyNames(usage));
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public void Chunks_write_null_finish_reasons_and_leave_out_unset_delta_fields_and_usage()
    {
        var chunks = SerializeChunks(ChatRequests.FromUser("hi"));

        Assert.Equal(["id", "object", "created", "model", "system_fingerprint", "choices"], PropertyNames(chunks[0]));
        var roleChoice = chunks[0].GetProperty("choices")[0];
        Assert.Equal(["index", "delta", "logprobs", "finish_reason"], PropertyNames(roleChoice));
        Assert.Equal(JsonValueKind.Null, roleChoice.GetProperty("finish_reason").ValueKind);
        Assert.Equal(["role", "content"], PropertyNames(roleChoice.GetProperty("delta")));
        Assert.Equal(["content"], PropertyNames(chunks[1].GetProperty("choices")[0].GetProperty("delta")));
        Assert.Empty(PropertyNames(chunks[^1].GetProperty("choices")[0].GetProperty("delta")));
    }

    [Fact]
    public void The_usage_chunk_has_an_empty_choices_array_and_snake_case_usage()
    {
        var request = ChatRequests.FromUser("hi there") with { StreamOptions = new StreamOptions { IncludeUsage = true } };

        var usageChunk = SerializeChunks(request)[^1];

        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var usage = usageChunk.GetProperty("usage");
        Assert.Equal(2, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void Requests_are_read_from_snake_case_fields()
    {
        const string json = """
            {
              "model": "gpt-4o",
              "messages": [{ "role": "user", "content": "hello" }],
              "max_tokens": 10,
              "max_completion_tokens": 5,
              "stream": true,
              "stream_options": { "include_usage": true },
              "temperature": 0.2
            }
            """;

        var request = JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.ChatCompletionRequest);

        Assert.NotNull(request);
        Assert.Equal("gpt-4o", request.Model);
        Assert.Equal("hello", Assert.Single(request.Messages!).Content);
        Assert.Equal(10, request.MaxTokens);
        Assert.Equal(5, request.MaxCompletionTokens);
        Assert.True(request.Stream);
        Assert.True(request.StreamOptions?.IncludeUsage);
    }

    [Fact]
    public void Content_parts_are_read_as_their_text_parts_joined_by_newlines()
    {
        const string json = """
            {
              "model": "gpt-4o",
              "messages": [{
                "role": "user",
                "content": [
                  { "type": "text", "text": "look at" },
                  { "type": "image_url", "image_url": { "url": "https://example.com/cat.png" } },
                  { "type": "text", "text": "this cat" }
                ]
              }]
            }
            """;

        var request = JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.ChatCompletionRequest);

        Assert.Equal("look at\nthis cat", Assert.Single(request!.Messages!).Content);
    }

    [Fact]
    public void Content_of_another_json_kind_is_rejected() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"model":"m","messages":[{"role":"user","content":42}]}""",
            OpenAIJsonContext.Default.ChatCompletionRequest));

    [Fact]
    public void Errors_have_the_OpenAI_error_envelope()
    {
        var json = JsonSerializer.SerializeToElement(
            OpenAIErrors.InjectedFailure(429), OpenAIJsonContext.Default.OpenAIErrorResponse);

        Assert.Equal(["error"], PropertyNames(json));
        var error = json.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], PropertyNames(error));
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
    }
}
