using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationTests.Admin;

/// <summary>
/// The admin part of the portal against the real system: the administrator seeded from the AppHost's parameters,
/// the role guarding /admin, billing's adjustment audit and totals, and the service keys on the admin APIs.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class AdminTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token).Token;

    [Fact]
    public async Task The_configured_administrator_exists_at_start_with_the_Admin_role_and_a_billing_account()
    {
        var ct = Timeout;
        var email = await TestAppHost.GetParameterValueAsync(fixture.App, "admin-email");
        var password = await TestAppHost.GetParameterValueAsync(fixture.App, "admin-password");
        Assert.Equal("admin@localhost", email);

        using var admin = new PortalSession(fixture.App);
        await admin.SignInAsync(email, password, ct);

        // The role lets the administrator through to every admin page (a non-admin is sent to access denied below).
        foreach (var path in new[] { "/admin", "/admin/catalog", "/admin/users", "/admin/credits" })
        {
            using var page = await admin.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // Its billing account is opened like at sign-up (in the background, as billing may start after the portal).
        var userId = await admin.GetUserIdAsync(ct);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        while ((status = (await billing.GetAsync($"/internal/accounts/{userId}", ct)).StatusCode) == HttpStatusCode.NotFound && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500, ct);
        }
        Assert.Equal(HttpStatusCode.OK, status);
        using var account = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{userId}", ct));
        Assert.Equal(email, account.RootElement.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Non_admins_are_refused_the_admin_pages_and_the_admin_apis_need_their_service_keys()
    {
        var ct = Timeout;
        using (var anonymous = new PortalSession(fixture.App))
        {
            using var page = await anonymous.GetAsync("/admin/catalog", ct);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Contains("/Account/Login", page.Headers.Location?.ToString());
        }

        using var user = new PortalSession(fixture.App);
        await user.RegisterAsync($"user-{Guid.NewGuid():N}@example.com", "Str0ng!Passw0rd", ct);
        foreach (var path in new[] { "/admin", "/admin/catalog", "/admin/users", "/admin/credits" })
        {
            using var page = await user.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Contains("/Account/AccessDenied", page.Headers.Location?.ToString());
        }
        // Signed in all right: ordinary pages still open.
        using (var keys = await user.GetAsync("/keys", ct))
        {
            Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        }

        // The services behind the admin pages refuse callers without their keys, and the gateway does not route them.
        using var billing = fixture.App.CreateHttpClient("billing");
        Assert.Equal(HttpStatusCode.Unauthorized, (await billing.GetAsync("/internal/admin/totals", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await billing.GetAsync("/internal/admin/adjustments", ct)).StatusCode);
        using var catalog = fixture.App.CreateHttpClient("catalog");
        Assert.Equal(HttpStatusCode.Unauthorized, (await catalog.GetAsync("/api/admin/catalog/models", ct)).StatusCode);
        using var gateway = fixture.CreateGatewayClient();
        Assert.NotEqual(HttpStatusCode.OK, (await gateway.GetAsync("/internal/admin/totals", ct)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await gateway.GetAsync("/api/admin/catalog/models", ct)).StatusCode);
    }

    [Fact]
    public async Task An_adjustment_with_a_reason_reaches_the_ledger_and_the_audit_list_with_its_actor()
    {
        var ct = Timeout;
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var totalsBefore = await GetJsonAsync(billing, "/internal/admin/totals", ct);

        // Without a reason nothing is posted.
        var refused = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/adjustments",
            new { amount_usd = 5m, reason = "  ", actor = "admin@localhost (admin-id)" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var reason = $"Goodwill credit {Guid.NewGuid():N}";
        var posted = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/adjustments",
            new { amount_usd = 7.25m, reason, actor = "admin@localhost (admin-id)", idempotency_key = Guid.NewGuid().ToString("N") }, ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        using (var answer = JsonDocument.Parse(await posted.Content.ReadAsStringAsync(ct)))
        {
            Assert.Equal(7.25m, answer.RootElement.GetProperty("balance_usd").GetDecimal());
        }

        using var audit = await GetJsonAsync(billing, "/internal/admin/adjustments?limit=200", ct);
        var rows = audit.RootElement.GetProperty("data").EnumerateArray().ToList();
        var row = Assert.Single(rows, candidate => candidate.GetProperty("owner_user_id").GetString() == owner.UserId);
        Assert.Equal(7.25m, row.GetProperty("amount_usd").GetDecimal());
        Assert.Equal(reason, row.GetProperty("reason").GetString());
        Assert.Equal("admin@localhost (admin-id)", row.GetProperty("actor").GetString());
        Assert.Equal($"{owner.UserId}@example.com", row.GetProperty("email").GetString());
        var createdAt = rows.Select(candidate => candidate.GetProperty("created_at").GetDateTimeOffset()).ToList();
        Assert.Equal(createdAt.OrderDescending(), createdAt);

        // The user's own history shows it as an adjustment with the reason.
        using var history = await GetJsonAsync(billing, $"/internal/accounts/{owner.UserId}/transactions?offset=0&limit=10", ct);
        var transaction = Assert.Single(history.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("adjustment", transaction.GetProperty("kind").GetString());
        Assert.Equal(reason, transaction.GetProperty("description").GetString());

        // Totals count it (other tests may post at the same time, so at least this much).
        using var totalsAfter = await GetJsonAsync(billing, "/internal/admin/totals", ct);
        Assert.True(totalsAfter.RootElement.GetProperty("adjustments_usd").GetDecimal()
            >= totalsBefore.RootElement.GetProperty("adjustments_usd").GetDecimal() + 7.25m);
        totalsBefore.Dispose();
    }

    [Fact]
    public async Task The_catalog_admin_list_includes_disabled_models_which_the_public_list_hides()
    {
        var ct = Timeout;
        using var catalog = await TestAppHost.CreateCatalogAdminClientAsync(fixture.App);
        const string Model = "mistralai/mistral-large-2411";
        Assert.Equal(HttpStatusCode.OK, (await catalog.PostAsync($"/api/admin/catalog/models/{Model}/disable", null, ct)).StatusCode);
        try
        {
            using var all = await GetJsonAsync(catalog, "/api/admin/catalog/models", ct);
            var model = Assert.Single(all.RootElement.GetProperty("data").EnumerateArray(), candidate => candidate.GetProperty("id").GetString() == Model);
            Assert.False(model.GetProperty("is_enabled").GetBoolean());
            Assert.NotEmpty(model.GetProperty("endpoints").EnumerateArray());

            using var visible = await GetJsonAsync(catalog, "/api/v1/models", ct);
            Assert.DoesNotContain(visible.RootElement.GetProperty("data").EnumerateArray(), candidate => candidate.GetProperty("id").GetString() == Model);
        }
        finally
        {
            await catalog.PostAsync($"/api/admin/catalog/models/{Model}/enable", null, ct);
        }
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(path, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
    }
}
