using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace UnitTests.ServiceDefaults;

public class UrlQueryRedactorTests
{
    [Theory]
    [InlineData("?api_key=sk-or-v1-abc&limit=5", "?api_key=Redacted&limit=Redacted")]
    [InlineData("api_key=sk-or-v1-abc", "api_key=Redacted")]
    [InlineData("http://catalog/api/v1/models?key=secret#top", "http://catalog/api/v1/models?key=Redacted#top")]
    [InlineData("?flag&key=", "?flag&key=Redacted")]
    public void Every_query_value_is_replaced_and_the_names_stay(string url, string expected)
        => Assert.Equal(expected, UrlQueryRedactor.Redact(url));

    [Fact]
    public void A_finished_span_keeps_its_path_but_not_its_query_values()
    {
        using var activity = new Activity("GET /api/v1/models").Start();
        activity.SetTag("url.path", "/api/v1/models");
        activity.SetTag("url.query", "?api_key=sk-or-v1-0123456789abcdef");
        activity.SetTag("url.full", "http://localhost/api/v1/models?api_key=sk-or-v1-0123456789abcdef");
        activity.Stop();

        new UrlQueryRedactor().OnEnd(activity);

        Assert.Equal("/api/v1/models", activity.GetTagItem("url.path"));
        Assert.Equal("?api_key=Redacted", activity.GetTagItem("url.query"));
        Assert.Equal("http://localhost/api/v1/models?api_key=Redacted", activity.GetTagItem("url.full"));
    }
}
