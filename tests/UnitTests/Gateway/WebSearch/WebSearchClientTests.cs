using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.WebSearch;
using Microsoft.Extensions.Options;

namespace UnitTests.Gateway.WebSearch;

public class WebSearchClientTests
{
    private sealed class RecordingHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }
        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return await answer(request, cancellationToken);
        }
    }

    private static WebSearchClient Client(RecordingHandler handler, string? apiKey = null, TimeSpan? timeout = null)
        => new(new HttpClient(handler), Options.Create(new WebSearchOptions
        {
            BaseUrl = new Uri("http://search.test/exa/"),
            ApiKey = apiKey,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        }));

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Sends_exas_search_body_with_the_key_and_reads_the_results_keeping_only_web_urls()
    {
        var handler = new RecordingHandler((_, _) => Task.FromResult(Json($$"""
            {"requestId":"r","results":[
              {"title":"One","url":"https://a.test/1","text":"first","publishedDate":"2026-11-25T00:00:00.000Z"},
              {"title":"Bad","url":"javascript:alert(1)","text":"no"},
              {"title":"Two","url":"https://b.test/2","text":"{{new string('x', 3000)}}"},
              {"title":"Three","url":"https://c.test/3","text":"third"}]}
            """)));

        var results = await Client(handler, apiKey: "exa-key").SearchAsync("rust news", 2, TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("http://search.test/exa/search"), handler.Request!.RequestUri);
        Assert.Equal("exa-key", handler.Request.Headers.GetValues("x-api-key").Single());
        var body = JsonNode.Parse(handler.Body!)!;
        Assert.Equal("rust news", body["query"]!.GetValue<string>());
        Assert.Equal(2, body["numResults"]!.GetValue<int>());
        Assert.Equal(["https://a.test/1", "https://b.test/2"], results.Select(result => result.Url));
        Assert.Equal("first", results[0].Snippet);
        Assert.Equal(WebSearchResult.MaxSnippetLength, results[1].Snippet.Length);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "{}")]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"bad key"}""")]
    [InlineData(HttpStatusCode.OK, """{"results":[{"title":""")]
    public async Task Error_answers_and_unreadable_ones_fail_the_search(HttpStatusCode status, string body)
    {
        var handler = new RecordingHandler((_, _) => Task.FromResult(Json(body, status)));

        await Assert.ThrowsAsync<WebSearchFailedException>(() => Client(handler).SearchAsync("q", 5, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_search_slower_than_the_timeout_fails()
    {
        var handler = new RecordingHandler(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return Json("{}");
        });

        var failure = await Assert.ThrowsAsync<WebSearchFailedException>(
            () => Client(handler, timeout: TimeSpan.FromMilliseconds(200)).SearchAsync("q", 5, TestContext.Current.CancellationToken));
        Assert.Contains("timed out", failure.Message);
    }
}
