using System.Net;
using Gateway.Api.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UnitTests.Gateway;

/// <summary>The upstream connections against a real loopback server: no cookies kept between callers, no redirects followed.</summary>
public sealed class UpstreamClientTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapPost("/moved", (HttpContext context) => Results.Redirect("/elsewhere", permanent: false, preserveMethod: true));
        _server.MapPost("/elsewhere", () => Results.Text("followed"));
        _server.MapPost("/session", (HttpContext context) =>
        {
            context.Response.Cookies.Append("session", "first-caller");
            return Results.Text(context.Request.Headers.Cookie.ToString());
        });
        await _server.StartAsync(TestContext.Current.CancellationToken);

        _client = new HttpClient(UpstreamClient.CreatePrimaryHandler()) { BaseAddress = new Uri(_server.Urls.Single()) };
        UpstreamClient.Configure(_client);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_redirect_comes_back_to_the_relay_instead_of_being_followed()
    {
        using var response = await _client.PostAsync("/moved", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("/elsewhere", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_cookie_one_answer_sets_is_not_sent_with_the_next_request()
    {
        using var first = await _client.PostAsync("/session", new StringContent("{}"), TestContext.Current.CancellationToken);
        Assert.Contains("session=first-caller", first.Headers.GetValues("Set-Cookie").Single(), StringComparison.Ordinal);

        using var second = await _client.PostAsync("/session", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal("", await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Only_the_relay_s_own_timeouts_end_an_upstream_call()
    {
        using var client = new HttpClient();

        UpstreamClient.Configure(client);

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }
}
