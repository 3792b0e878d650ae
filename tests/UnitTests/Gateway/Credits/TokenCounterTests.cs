using System.Text.Json.Nodes;
using Gateway.Api.Credits;
using Gateway.Api.Inference;

namespace UnitTests.Gateway.Credits;

public class TokenCounterTests
{
    private static readonly TokenCounter Counter = TokenCounter.Shared;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Text_is_counted_with_o200k_base()
    {
        Assert.Equal(0, Counter.Count(""));
        Assert.Equal(0, Counter.Count(null));
        Assert.Equal(4, Counter.Count("Hello, world!"));
        Assert.Equal(10, Counter.Count("The quick brown fox jumps over the lazy dog."));
    }

    [Fact]
    public void A_chat_prompt_counts_each_message_with_its_framing_and_the_reply_priming()
    {
        var request = Parse("""
            {"model":"m","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","name":"ada","content":"Hello, world!"}]}
            """);

        var expected = TokenCounter.ReplyPriming
            + TokenCounter.TokensPerMessage + Counter.Count("system") + Counter.Count("Be brief.")
            + TokenCounter.TokensPerMessage + Counter.Count("user") + 4 + TokenCounter.TokensPerName + Counter.Count("ada");
        Assert.Equal(expected, Counter.CountPrompt(request));
    }

    [Fact]
    public void Text_parts_and_tool_calls_are_counted_and_images_are_not()
    {
        var withImage = Parse("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"What is in this picture?"},
              {"type":"image_url","image_url":{"url":"https://example.com/a-very-long-image-address-that-is-no-prompt-text.png"}}]}]}
            """);
        var toolCall = Parse("""
            {"messages":[{"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}]}
            """);

        Assert.Equal(TokenCounter.ReplyPriming + TokenCounter.TokensPerMessage + Counter.Count("user") + Counter.Count("What is in this picture?"),
            Counter.CountPrompt(withImage));
        Assert.Equal(TokenCounter.ReplyPriming + TokenCounter.TokensPerMessage + Counter.Count("assistant")
            + Counter.Count("get_weather") + Counter.Count("{\"city\":\"Paris\"}"), Counter.CountPrompt(toolCall));
    }

    [Fact]
    public void Tool_definitions_add_to_the_prompt()
    {
        var plain = Parse("""{"messages":[{"role":"user","content":"Weather in Paris?"}]}""");
        var withTools = Parse("""
            {"messages":[{"role":"user","content":"Weather in Paris?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """);

        Assert.Equal(Counter.CountPrompt(plain) + Counter.Count(withTools["tools"]!.ToJsonString()), Counter.CountPrompt(withTools));
    }

    [Fact]
    public void A_legacy_completions_prompt_is_counted_as_the_one_user_message_it_becomes()
    {
        var chat = LegacyCompletionClientFormat.ToChatRequest(Parse("""{"model":"m","prompt":"Once upon a time"}"""));

        Assert.Equal(TokenCounter.ReplyPriming + TokenCounter.TokensPerMessage + Counter.Count("user") + Counter.Count("Once upon a time"),
            Counter.CountPrompt(chat));
    }

    [Fact]
    public void Embeddings_input_is_counted_as_text_or_as_the_token_ids_given()
    {
        Assert.Equal(4, Counter.CountPrompt(Parse("""{"input":"Hello, world!"}""")));
        Assert.Equal(4 + 10, Counter.CountPrompt(Parse("""{"input":["Hello, world!","The quick brown fox jumps over the lazy dog."]}""")));
        Assert.Equal(3, Counter.CountPrompt(Parse("""{"input":[9906,11,1917]}""")));
        Assert.Equal(5, Counter.CountPrompt(Parse("""{"input":[[9906,11],[1917,0,1]]}""")));
    }

    [Fact]
    public void The_prompt_is_counted_once_however_often_it_is_read()
    {
        var request = Parse("""{"messages":[{"role":"user","content":"Hello, world!"}]}""");
        var prompt = new PromptTokens(request);
        var first = prompt.Count;

        // A later change to the body (another endpoint's copy) does not recount.
        request["messages"]!.AsArray().Add(new JsonObject { ["role"] = "user", ["content"] = "More text here." });

        Assert.Equal(first, prompt.Count);
        Assert.Equal(Counter.CountPrompt(Parse("""{"messages":[{"role":"user","content":"Hello, world!"}]}""")), first);
    }
}
