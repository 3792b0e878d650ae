using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Web.Admin;

namespace ComponentTests.Admin;

/// <summary>The admin clients' failures against a scripted service: each becomes an <see cref="AdminApiException"/> a page can show.</summary>
public sealed class AdminClientsTests
{
    [Fact]
    public async Task Catalog_errors_surface_with_their_openrouter_message_and_the_actor_is_sent()
    {
        var catalog = new ScriptedHandler(HttpStatusCode.NotFound, """{"error":{"code":404,"message":"No provider 'nope'"}}""");
        var client = new CatalogAdminClient(new HttpClient(catalog) { BaseAddress = new Uri("http://catalog") }, NullLogger<CatalogAdminClient>.Instance);

        var error = await Assert.ThrowsAsync<AdminApiException>(() => client.SetProviderEnabledAsync("nope", false, "admin@example.com",
            Xunit.TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("No provider 'nope'", error.Message);
        Assert.Equal(HttpMethod.Post, catalog.Method);
        Assert.Equal("admin@example.com", catalog.Headers[CatalogAdminOptions.ActorHeader]);
    }

    [Fact]
    public async Task An_answer_without_the_error_format_names_the_status()
    {
        var catalog = new ScriptedHandler(HttpStatusCode.BadGateway, "<html>bad gateway</html>");
        var client = new CatalogAdminClient(new HttpClient(catalog) { BaseAddress = new Uri("http://catalog") }, NullLogger<CatalogAdminClient>.Instance);

        var error = await Assert.ThrowsAsync<AdminApiException>(() => client.ListProvidersAsync(Xunit.TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal("The catalog admin API answered 502 Bad Gateway.", error.Message);
    }

    [Fact]
    public async Task Unreachable_billing_is_an_admin_error_without_a_status()
    {
        var billing = new ScriptedHandler(new HttpRequestException("Connection refused"));
        var client = new BillingAdminClient(new HttpClient(billing) { BaseAddress = new Uri("http://billing") }, NullLogger<BillingAdminClient>.Instance);

        var error = await Assert.ThrowsAsync<AdminApiException>(() => client.GetTotalsAsync(Xunit.TestContext.Current.CancellationToken));

        Assert.Null(error.StatusCode);
        Assert.Equal("The billing service is not reachable right now. Please try again in a moment.", error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }
}
