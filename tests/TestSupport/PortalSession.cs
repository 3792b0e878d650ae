using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TestSupport;

/// <summary>
/// A browser-like HTTP session on the portal through the gateway: cookies kept, redirects not followed, and the
/// static SSR Identity forms posted with their antiforgery token and hidden fields, as a browser would.
/// </summary>
public sealed partial class PortalSession : IDisposable
{
    private readonly DistributedApplication _app;
    private readonly HttpClient _http;
    private readonly CookieContainer _cookies = new();

    public PortalSession(DistributedApplication app)
    {
        _app = app;
        var handler = new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false, UseCookies = true };
        _http = new HttpClient(handler) { BaseAddress = app.GetEndpoint("gateway", "http"), Timeout = TestAppHost.RequestTimeout };
    }

    /// <summary>The public origin (the gateway) the session talks to.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>
    /// The value of a cookie the portal set, reassembled when ASP.NET Core split it into chunks
    /// (<c>chunks-N</c> in the cookie itself, the parts in <c>{name}C1</c>..<c>{name}CN</c>); null when absent.
    /// </summary>
    public string? CookieValue(string name)
    {
        var cookies = _cookies.GetCookies(BaseAddress);
        var value = cookies[name]?.Value;
        if (value is null || !value.StartsWith("chunks-", StringComparison.Ordinal))
        {
            return value;
        }
        var count = int.Parse(value["chunks-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(Enumerable.Range(1, count).Select(i => cookies[$"{name}C{i}"]?.Value));
    }

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) => _http.GetAsync(path, cancellationToken);

    public async Task SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        using var response = await TrySignInAsync(email, password, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("Login", response.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Lockout", response.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Posts the login form and returns the answer as it is (a redirect on success, to 2FA or lockout, or the form again).</summary>
    public Task<HttpResponseMessage> TrySignInAsync(string email, string password, CancellationToken cancellationToken) =>
        PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password }, cancellationToken);

    /// <summary>Signs up and confirms the address through the link mailed to the mail sink, as every account must now be.</summary>
    public async Task RegisterAsync(string email, string password, CancellationToken cancellationToken)
    {
        await RegisterUnconfirmedAsync(email, password, cancellationToken);
        await ConfirmEmailAsync(email, cancellationToken);
        await SignInAsync(email, password, cancellationToken);
    }

    /// <summary>Signs up only: the account waits for its confirmation link (the answer sends the browser to "check your e-mail").</summary>
    public async Task RegisterUnconfirmedAsync(string email, string password, CancellationToken cancellationToken)
    {
        using var response = await PostFormAsync("/Account/Register",
            new() { ["Input.Email"] = email, ["Input.Password"] = password, ["Input.ConfirmPassword"] = password }, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/RegisterConfirmation", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }

    /// <summary>Follows the confirmation link mailed to <paramref name="email"/>.</summary>
    public async Task ConfirmEmailAsync(string email, CancellationToken cancellationToken)
    {
        var link = await MailSink.WaitForConfirmationLinkAsync(_app, email, cancellationToken);
        using var confirmed = await _http.GetAsync(link.PathAndQuery, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("Thank you for confirming your email", await confirmed.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    /// <summary>The signed-in user's id, from Identity's personal-data download.</summary>
    public async Task<string> GetUserIdAsync(CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync("/Account/Manage/PersonalData", "DownloadPersonalData", null, cancellationToken);
        using var response = await _http.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent(form), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("Id").GetString()!;
    }

    /// <summary>
    /// Fills a page's form (its hidden fields, antiforgery included) with <paramref name="fields"/> and posts it to
    /// the page's own address. <paramref name="formName"/> picks the form by its Blazor form name (the
    /// <c>_handler</c> field); without it, the first post form on the page.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, CancellationToken cancellationToken, string? formName = null)
    {
        var form = await ReadFormAsync(path, null, formName, cancellationToken);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }
        return await _http.PostAsync(path, new FormUrlEncodedContent(form), cancellationToken);
    }

    private async Task<Dictionary<string, string>> ReadFormAsync(string path, string? actionContains, string? formName, CancellationToken cancellationToken)
    {
        using var page = await _http.GetAsync(path, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var forms = FormPattern().Matches(html).Select(match => match.Value).Where(form => form.Contains("method=\"post\"", StringComparison.OrdinalIgnoreCase));
        var formHtml = actionContains is not null ? forms.First(form => form.Contains(actionContains, StringComparison.Ordinal))
            : formName is not null ? forms.First(form => form.Contains($"name=\"_handler\" value=\"{formName}\"", StringComparison.Ordinal))
            : forms.First();
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
