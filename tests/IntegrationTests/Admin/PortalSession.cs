using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntegrationTests.Admin;

/// <summary>
/// A browser-like HTTP session on the portal through the gateway: cookies kept, redirects not followed, and the
/// static SSR Identity forms posted with their antiforgery token and hidden fields, as a browser would.
/// </summary>
public sealed partial class PortalSession : IDisposable
{
    private readonly HttpClient _http;

    public PortalSession(DistributedApplication app)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        _http = new HttpClient(handler) { BaseAddress = app.GetEndpoint("gateway", "http"), Timeout = TestAppHost.RequestTimeout };
    }

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) => _http.GetAsync(path, cancellationToken);

    public async Task SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var response = await PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password }, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("Login", response.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
    }

    public async Task RegisterAsync(string email, string password, CancellationToken cancellationToken)
    {
        var response = await PostFormAsync("/Account/Register",
            new() { ["Input.Email"] = email, ["Input.Password"] = password, ["Input.ConfirmPassword"] = password }, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>The signed-in user's id, from Identity's personal-data download.</summary>
    public async Task<string> GetUserIdAsync(CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync("/Account/Manage/PersonalData", "DownloadPersonalData", cancellationToken);
        using var response = await _http.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent(form), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("Id").GetString()!;
    }

    /// <summary>Fills a page's first form (its hidden fields, antiforgery included) with <paramref name="fields"/> and posts it.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(path, null, cancellationToken);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }
        return await _http.PostAsync(path, new FormUrlEncodedContent(form), cancellationToken);
    }

    private async Task<Dictionary<string, string>> ReadFormAsync(string path, string? actionContains, CancellationToken cancellationToken)
    {
        using var page = await _http.GetAsync(path, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var forms = FormPattern().Matches(html).Select(match => match.Value).Where(form => form.Contains("method=\"post\"", StringComparison.OrdinalIgnoreCase));
        var formHtml = actionContains is null ? forms.First() : forms.First(form => form.Contains(actionContains, StringComparison.Ordinal));
        var fields = new Dictionary<string, string>();
        foreach (Match input in HiddenInputPattern().Matches(formHtml))
        {
            var name = NamePattern().Match(input.Value);
            var value = ValuePattern().Match(input.Value);
            if (name.Success)
            {
                fields[WebUtility.HtmlDecode(name.Groups[1].Value)] = value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : "";
            }
        }
        Assert.Contains("__RequestVerificationToken", fields.Keys);
        return fields;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<form[\\s\\S]*?</form>", RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputPattern();

    [GeneratedRegex("\\sname=\"([^\"]*)\"")]
    private static partial Regex NamePattern();

    [GeneratedRegex("\\svalue=\"([^\"]*)\"")]
    private static partial Regex ValuePattern();
}
