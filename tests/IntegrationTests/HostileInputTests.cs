using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>
/// Many generated bad bodies against every inference endpoint: each gets a 4xx in OpenRouter's error format,
/// never a 500 or a stack trace, and nothing is charged.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class HostileInputTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static readonly string[] Endpoints = ["/api/v1/chat/completions", "/api/v1/completions", "/api/v1/messages", "/api/v1/embeddings", "/api/v1/responses"];

    private static readonly string[] BadValues =
    [
        "null", "true", "1e400", "-1", "0", "\"\"", "[]", "{}", "[[[[]]]]", "\"\\u0000\"", "NaN", "\"x\"",
        "2147483648", "-0.5", "{\"$ref\":\"#\"}", "[null]", "[1,2,3]", "\"" + new string('a', 5000) + "\"",
    ];

    private static readonly string[] Fields =
        ["model", "messages", "max_tokens", "stream", "provider", "tools", "models", "prompt", "input", "max_completion_tokens", "temperature", "system"];

    /// <summary>A valid-looking base with one field replaced by a bad value, plus structural damage.</summary>
    private static IEnumerable<byte[]> BadBodies(int seed)
    {
        var random = new Random(seed);
        foreach (var field in Fields)
        {
            for (var i = 0; i < 3; i++)
            {
                var value = BadValues[random.Next(BadValues.Length)];
                yield return Encoding.UTF8.GetBytes(
                    $$"""{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":5,"{{field}}":{{value}}}""");
            }
        }
        yield return Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000));
        yield return Encoding.UTF8.GetBytes("{\"model\":" + new string('{', 3000) + new string('}', 3000) + "}");
        yield return [0x7B, 0x22, 0x6D, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D];
        yield return Encoding.UTF8.GetBytes("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]");
        yield return Encoding.UTF8.GetBytes("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":99999999999}");
        yield return Encoding.UTF8.GetBytes("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"wizard\",\"content\":{\"a\":1}}]}");
        yield return [];
        yield return Encoding.UTF8.GetBytes("\"just a string\"");
        for (var i = 0; i < 10; i++)
        {
            var noise = new byte[random.Next(1, 200)];
            random.NextBytes(noise);
            yield return noise;
        }
    }

    private static string Preview(string text, int length) => text.Length <= length ? text : text[..length];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Generated_bad_bodies_get_a_4xx_in_openrouter_format_and_are_never_charged(int seed)
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 1, "fuzz");
        var sent = 0;

        foreach (var endpoint in Endpoints)
        {
            foreach (var body in BadBodies(seed))
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var response = await gateway.PostAsync(endpoint, content, Timeout);
                var text = await response.Content.ReadAsStringAsync(Timeout);
                sent++;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    // A mutation that happened to be valid (e.g. temperature 0): a real answer, fine.
                    continue;
                }
                Assert.True((int)response.StatusCode is >= 400 and < 500,
                    $"{endpoint} answered {(int)response.StatusCode} to {Preview(Encoding.UTF8.GetString(body), 120)}: {Preview(text, 300)}");
                using var error = JsonDocument.Parse(text);
                Assert.Equal((int)response.StatusCode, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
                Assert.DoesNotContain("   at ", text);
            }
        }

        Assert.True(sent > 200);
        using var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
        var usage = credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal();
        // Only bodies that were valid after all may have been charged, and then only cents' fractions.
        Assert.True(usage < 0.01m, $"bad bodies were charged {usage}");
    }
    [Fact]
    public async Task A_body_sent_without_a_length_is_read_whole_and_one_over_the_cap_gets_413_with_or_without_a_length()
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 1, "bodies");
        // Chunked: no Content-Length, so the gateway reads until the body ends.
        var chunked = new LengthlessContent(Encoding.UTF8.GetBytes(
            """{"model":"deepseek/deepseek-chat","messages":[{"role":"user","content":"sent in chunks"}]}"""));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var answered = await gateway.PostAsync("/api/v1/chat/completions", chunked, Timeout);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("sent in chunks", await answered.Content.ReadAsStringAsync(Timeout));

        // 17 MiB of valid JSON (one long message): over the 16 MiB cap either way.
        var huge = Encoding.UTF8.GetBytes(
            $$"""{"model":"deepseek/deepseek-chat","messages":[{"role":"user","content":"{{new string('a', 17 * 1024 * 1024)}}"}]}""");
        foreach (var withLength in new[] { true, false })
        {
            HttpContent content = withLength ? new ByteArrayContent(huge) : new LengthlessContent(huge);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var refused = await gateway.PostAsync("/api/v1/chat/completions", content, Timeout);
            var text = await refused.Content.ReadAsStringAsync(Timeout);
            Assert.True(refused.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"with length {withLength}: {(int)refused.StatusCode} {Preview(text, 300)}");
            using var error = JsonDocument.Parse(text);
            Assert.Equal(413, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
    }

    /// <summary>A body whose length is not told up front: HttpClient sends it chunked.</summary>
    private sealed class LengthlessContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
