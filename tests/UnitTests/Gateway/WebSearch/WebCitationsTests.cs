using System.Text.Json.Nodes;
using Gateway.Api.WebSearch;

namespace UnitTests.Gateway.WebSearch;

public class WebCitationsTests
{
    private static readonly WebSearchResult[] Results =
    [
        new("First", "https://example-news.test/q/1", "one"),
        new("Second", "https://example-news.test/q/2", "two"),
        new("Third", "https://other.test/3", "three"),
    ];

    [Fact]
    public void Each_cited_url_is_annotated_over_its_first_occurrence_and_uncited_results_are_left_out()
    {
        const string Answer = "See [example-news.test](https://example-news.test/q/2) and https://example-news.test/q/1, again https://example-news.test/q/2.";

        var annotations = WebCitations.Annotations(Answer, Results);

        Assert.Equal(2, annotations.Count);
        var first = annotations[0]!["url_citation"]!;
        Assert.Equal("url_citation", annotations[0]!["type"]!.GetValue<string>());
        Assert.Equal("https://example-news.test/q/1", first["url"]!.GetValue<string>());
        Assert.Equal("First", first["title"]!.GetValue<string>());
        Assert.Equal("one", first["content"]!.GetValue<string>());
        var start = first["start_index"]!.GetValue<int>();
        Assert.Equal("https://example-news.test/q/1", Answer[start..first["end_index"]!.GetValue<int>()]);
        var second = annotations[1]!["url_citation"]!;
        Assert.Equal(Answer.IndexOf("https://example-news.test/q/2", StringComparison.Ordinal), second["start_index"]!.GetValue<int>());
        Assert.Equal("https://example-news.test/q/2", Answer[second["start_index"]!.GetValue<int>()..second["end_index"]!.GetValue<int>()]);
    }

    [Fact]
    public void A_completion_message_gets_its_annotations_and_one_without_citations_gets_none()
    {
        var cited = JsonNode.Parse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"from https://other.test/3"}}]}""")!.AsObject();
        var uncited = JsonNode.Parse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"no sources"}}]}""")!.AsObject();
        var citations = new WebCitations(Results);

        citations.OnCompletion(cited);
        citations.OnCompletion(uncited);

        var annotation = Assert.Single(cited["choices"]![0]!["message"]!["annotations"]!.AsArray());
        Assert.Equal(5, annotation!["url_citation"]!["start_index"]!.GetValue<int>());
        Assert.Null(uncited["choices"]![0]!["message"]!["annotations"]);
    }

    [Fact]
    public void In_a_stream_urls_split_over_chunks_are_annotated_on_the_chunk_that_finishes_the_choice()
    {
        var citations = new WebCitations(Results);
        JsonObject Chunk(string delta, string? finish = null)
        {
            var chunk = JsonNode.Parse($$"""{"choices":[{"index":0,"delta":{{delta}},"finish_reason":null}]}""")!.AsObject();
            if (finish is not null)
            {
                chunk["choices"]![0]!["finish_reason"] = finish;
            }
            citations.OnChunk(chunk);
            return chunk;
        }

        var opening = Chunk("""{"role":"assistant","content":""}""");
        var middle = Chunk("""{"content":"Echo: see https://example-news"}""");
        Chunk("""{"content":".test/q/1 now"}""");
        var last = Chunk("{}", finish: "stop");

        Assert.Null(opening["choices"]![0]!["delta"]!["annotations"]);
        Assert.Null(middle["choices"]![0]!["delta"]!["annotations"]);
        var annotation = Assert.Single(last["choices"]![0]!["delta"]!["annotations"]!.AsArray())!["url_citation"]!;
        Assert.Equal("https://example-news.test/q/1", annotation["url"]!.GetValue<string>());
        Assert.Equal("Echo: see ".Length, annotation["start_index"]!.GetValue<int>());
        Assert.Equal("Echo: see https://example-news.test/q/1".Length, annotation["end_index"]!.GetValue<int>());
    }
}
