using System.Net;
using System.Text;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>Input an attacker controls outside the JSON body: attribution headers and portal form posts.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AbuseTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task Attribution_headers_are_recorded_without_control_characters_and_capped_in_length()
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 1, "attribution");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                model = "openai/gpt-4o-mini",
                messages = new[] { new { role = "user", content = "who is calling" } },
            }), Encoding.UTF8, "application/json"),
        };
        // A tab is legal in a header value but is a control character; the rest is far longer than any app name.
        Assert.True(request.Headers.TryAddWithoutValidation("X-Title", "Evil\tApp " + new string('x', 5000)));
        Assert.True(request.Headers.TryAddWithoutValidation("HTTP-Referer", "https://example.com/" + new string('y', 10_000)));

        var response = await gateway.SendAsync(request, Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var completion = JsonDocument.Parse(body);

        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, completion.RootElement.GetProperty("id").GetString()!);
        var appId = generation.RootElement.GetProperty("data").GetProperty("app_id").GetString()!;
        Assert.StartsWith("EvilApp xxx", appId, StringComparison.Ordinal);
        Assert.Equal(256, appId.Length);
        Assert.DoesNotContain(appId, char.IsControl);
    }

    [Fact]
    public async Task A_portal_form_post_without_its_antiforgery_token_is_refused()
    {
        using var portal = fixture.CreateGatewayClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = "someone@example.com",
            ["Input.Password"] = "Whatever-1234",
        });

        var response = await portal.PostAsync("/Account/Login", form, Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync(Timeout), StringComparison.OrdinalIgnoreCase);
    }
}
