using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Emulators.Exa;

namespace UnitTests.Emulators;

public class ExaSearchTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private Task<HttpResponseMessage> SearchAsync(object body, string? fail = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/exa/search") { Content = JsonContent.Create(body) };
        if (fail is not null)
        {
            request.Headers.Add("X-Emulator-Fail", fail);
        }
        return server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Search_answers_as_many_results_as_asked_in_exas_shape_with_urls_from_the_query()
    {
        using var response = await SearchAsync(new { query = "Rust 2.0 release?", numResults = 3, contents = new { text = true } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var results = body["results"]!.AsArray();
        Assert.Equal(3, results.Count);
        Assert.Equal("https://example-news.test/rust-2-0-release/1", results[0]!["url"]!.GetValue<string>());
        Assert.Equal("https://example-news.test/rust-2-0-release/3", results[2]!["url"]!.GetValue<string>());
        Assert.Contains("Rust 2.0 release?", results[0]!["text"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(results[0]!["title"]!.GetValue<string>()));
        Assert.True(DateTimeOffset.TryParse(results[0]!["publishedDate"]!.GetValue<string>(), out _));
        Assert.NotNull(body["requestId"]);
        Assert.NotNull(body["costDollars"]!["total"]);
    }

    [Fact]
    public void The_same_query_finds_the_same_pages_and_ten_by_default()
    {
        var first = ExaSearch.Search(new ExaSearchRequest { Query = "weather in Oslo" }, DateTimeOffset.UnixEpoch);
        var again = ExaSearch.Search(new ExaSearchRequest { Query = "weather in Oslo" }, DateTimeOffset.UnixEpoch);
        var other = ExaSearch.Search(new ExaSearchRequest { Query = "weather in Bergen" }, DateTimeOffset.UnixEpoch);

        Assert.Equal(ExaSearch.DefaultResults, first.Results.Count);
        Assert.Equal(first.Results, again.Results);
        Assert.Empty(first.Results.Select(result => result.Url).Intersect(other.Results.Select(result => result.Url)));
        Assert.Equal("search", ExaSearch.Slug("¿¡!"));
    }

    [Theory]
    [InlineData("{\"numResults\":3}")]
    [InlineData("{\"query\":\"q\",\"numResults\":0}")]
    [InlineData("{\"query\":\"q\",\"numResults\":101}")]
    [InlineData("{not json")]
    public async Task Bad_requests_get_exas_error_body(string json)
    {
        using var response = await server.Client.PostAsync("/exa/search", new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_fault_header_makes_the_search_fail_like_the_model_apis()
    {
        using var response = await SearchAsync(new { query = "q" }, fail: "503");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("EMULATED_FAULT", JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["tag"]!.GetValue<string>());
    }
}
