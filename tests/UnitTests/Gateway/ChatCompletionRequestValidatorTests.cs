using System.Text;
using Gateway.Api.Inference;

namespace UnitTests.Gateway;

public class ChatCompletionRequestValidatorTests
{
    private static string? Validate(string json) => ChatCompletionRequestValidator.Validate(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Accepts_a_minimal_request_and_ignores_fields_it_does_not_read()
    {
        Assert.Null(Validate("""
            {"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],
             "provider":{"sort":"price"},"stream":true,"temperature":0.2}
            """));
    }

    [Theory]
    [InlineData("{not json", "Invalid JSON")]
    [InlineData("", "Invalid JSON")]
    [InlineData("null", "JSON object")]
    [InlineData("[1,2]", "Invalid JSON")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "'model'")]
    [InlineData("""{"model":"  ","messages":[{"role":"user","content":"hi"}]}""", "'model'")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", "Invalid JSON")]
    [InlineData("""{"model":"openai/gpt-4o"}""", "'messages'")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[]}""", "'messages'")]
    [InlineData("""{"model":"openai/gpt-4o","messages":["hi"]}""", "object")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "Invalid JSON")]
    public void Rejects_bodies_the_gateway_cannot_route(string json, string expectedInMessage)
    {
        var problem = Validate(json);

        Assert.NotNull(problem);
        Assert.Contains(expectedInMessage, problem);
    }
}
