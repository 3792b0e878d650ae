using System.Net;
using System.Text.RegularExpressions;

namespace IntegrationTests.Portal;

/// <summary>
/// Portal account security against the real system, through the gateway like a browser: confirmation and
/// password-reset mails delivered to the emulators' mail sink, lockout after wrong passwords, TOTP two-factor
/// sign-in, security headers and cookie attributes.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed partial class AccountSecurityTests(AppHostFixture fixture)
{
    private const string Password = "Str0ng!Passw0rd";

    private static CancellationToken Timeout => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token).Token;

    private static string NewEmail() => $"security-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Sign_up_mails_a_confirmation_link_and_sign_in_is_refused_until_it_is_followed()
    {
        var ct = Timeout;
        var email = NewEmail();
        using var session = new PortalSession(fixture.App);
        await session.RegisterUnconfirmedAsync(email, Password, ct);

        var mail = await MailSink.WaitForAsync(fixture.App, email, "Confirm your email", ct);
        Assert.Equal([email], mail.To);
        Assert.Contains("no-reply@", mail.From, StringComparison.Ordinal);
        var link = MailSink.LinkTo(mail, "/Account/ConfirmEmail");
        // An absolute link on the public origin (the gateway the browser used), not the portal's internal address.
        Assert.Equal(session.BaseAddress.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority));
        Assert.Contains(WebUtility.HtmlEncode(link.ToString()), mail.Html ?? "", StringComparison.Ordinal);

        // Not confirmed yet: the right password is refused, with the same answer as a wrong one.
        using (var refused = await session.TrySignInAsync(email, Password, ct))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Invalid login attempt", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        using (var keys = await session.GetAsync("/keys", ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, keys.StatusCode);
        }

        // A tampered link confirms nothing.
        using (var forged = await session.GetAsync(link.PathAndQuery.Replace("code=", "code=AAAA", StringComparison.Ordinal), ct))
        {
            Assert.DoesNotContain("Thank you for confirming", await forged.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        using (var stillRefused = await session.TrySignInAsync(email, Password, ct))
        {
            Assert.Equal(HttpStatusCode.OK, stillRefused.StatusCode);
        }

        using (var confirmed = await session.GetAsync(link.PathAndQuery, ct))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("Thank you for confirming your email", await confirmed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        await session.SignInAsync(email, Password, ct);
        using (var keys = await session.GetAsync("/keys", ct))
        {
            Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        }
    }

    [Fact]
    public async Task A_password_reset_link_mailed_to_the_user_sets_a_new_password()
    {
        var ct = Timeout;
        var email = NewEmail();
        using (var owner = new PortalSession(fixture.App))
        {
            await owner.RegisterAsync(email, Password, ct);
        }

        using var session = new PortalSession(fixture.App);
        using (var asked = await session.PostFormAsync("/Account/ForgotPassword", new() { ["Input.Email"] = email }, ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
            Assert.Contains("Account/ForgotPasswordConfirmation", asked.Headers.Location?.ToString(), StringComparison.Ordinal);
        }
        // An unknown address gets the same answer (and no mail), so the form does not tell who has an account.
        using (var unknown = await session.PostFormAsync("/Account/ForgotPassword", new() { ["Input.Email"] = NewEmail() }, ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
            Assert.Contains("Account/ForgotPasswordConfirmation", unknown.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        var link = await MailSink.WaitForPasswordResetLinkAsync(fixture.App, email, ct);
        Assert.Equal(session.BaseAddress.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority));
        const string NewPassword = "N3w!Passw0rd-reset";
        using (var reset = await session.PostFormAsync(link.PathAndQuery,
            new() { ["Input.Email"] = email, ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword }, ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
            Assert.Contains("Account/ResetPasswordConfirmation", reset.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using (var old = await session.TrySignInAsync(email, Password, ct))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
            Assert.Contains("Invalid login attempt", await old.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        await session.SignInAsync(email, NewPassword, ct);

        // The link is single-use: the password's change renewed the security stamp the token was bound to.
        using var again = new PortalSession(fixture.App);
        using var reused = await again.PostFormAsync(link.PathAndQuery,
            new() { ["Input.Email"] = email, ["Input.Password"] = "An0ther!Passw0rd", ["Input.ConfirmPassword"] = "An0ther!Passw0rd" }, ct);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("Invalid token", await reused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused()
    {
        var ct = Timeout;
        var email = NewEmail();
        using (var owner = new PortalSession(fixture.App))
        {
            await owner.RegisterAsync(email, Password, ct);
        }

        using var attacker = new PortalSession(fixture.App);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await attacker.TrySignInAsync(email, $"Wrong!Passw0rd{attempt}", ct);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Invalid login attempt", await wrong.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        using (var fifth = await attacker.TrySignInAsync(email, "Wrong!Passw0rd5", ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, fifth.StatusCode);
            Assert.Contains("Account/Lockout", fifth.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using var owner2 = new PortalSession(fixture.App);
        using (var right = await owner2.TrySignInAsync(email, Password, ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            Assert.Contains("Account/Lockout", right.Headers.Location?.ToString(), StringComparison.Ordinal);
        }
        using (var keys = await owner2.GetAsync("/keys", ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, keys.StatusCode);
            Assert.Contains("Account/Login", keys.Headers.Location?.ToString(), StringComparison.Ordinal);
        }
        using var lockoutPage = await owner2.GetAsync("/Account/Lockout", ct);
        Assert.Equal(HttpStatusCode.OK, lockoutPage.StatusCode);
        Assert.Contains("This account has been locked out", await lockoutPage.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_factor_sign_in_needs_the_authenticator_code_and_refuses_a_wrong_one()
    {
        var ct = Timeout;
        var email = NewEmail();
        using (var owner = new PortalSession(fixture.App))
        {
            await owner.RegisterAsync(email, Password, ct);

            // The page shows the shared key an authenticator app would scan; the test is the app.
            using var setup = await owner.GetAsync("/Account/Manage/EnableAuthenticator", ct);
            Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
            var key = WebUtility.HtmlDecode(SharedKeyPattern().Match(await setup.Content.ReadAsStringAsync(ct)).Groups[1].Value);
            Assert.False(string.IsNullOrWhiteSpace(key), "no shared key on the page");

            using (var wrongSetup = await owner.PostFormAsync("/Account/Manage/EnableAuthenticator",
                new() { ["Input.Code"] = WrongCode(key) }, ct, formName: "send-code"))
            {
                Assert.Contains("Verification code is invalid", await wrongSetup.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            }
            using var enabled = await owner.PostFormAsync("/Account/Manage/EnableAuthenticator",
                new() { ["Input.Code"] = Totp.Compute(key, DateTimeOffset.UtcNow) }, ct, formName: "send-code");
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
            var shown = await enabled.Content.ReadAsStringAsync(ct);
            Assert.Contains("Your authenticator app has been verified", shown, StringComparison.Ordinal);
            Assert.Contains("recovery codes", shown, StringComparison.OrdinalIgnoreCase);

            // Signed out (a new session): the password alone no longer signs in.
            using var session = new PortalSession(fixture.App);
            using var password = await session.TrySignInAsync(email, Password, ct);
            Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
            var twoFactor = password.Headers.Location!.ToString();
            Assert.Contains("Account/LoginWith2fa", twoFactor, StringComparison.Ordinal);
            using (var keys = await session.GetAsync("/keys", ct))
            {
                Assert.Equal(HttpStatusCode.Redirect, keys.StatusCode);
            }

            var twoFactorPath = new Uri(session.BaseAddress, twoFactor).PathAndQuery;
            using (var wrong = await session.PostFormAsync(twoFactorPath, new() { ["Input.TwoFactorCode"] = WrongCode(key) }, ct, formName: "login-with-2fa"))
            {
                Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
                Assert.Contains("Invalid authenticator code", await wrong.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            }
            using (var keys = await session.GetAsync("/keys", ct))
            {
                Assert.Equal(HttpStatusCode.Redirect, keys.StatusCode);
            }

            // The next step's code (Identity accepts a small clock drift), so a replay check on the setup code cannot interfere.
            using var right = await session.PostFormAsync(twoFactorPath,
                new() { ["Input.TwoFactorCode"] = Totp.Compute(key, DateTimeOffset.UtcNow + Totp.Step) }, ct, formName: "login-with-2fa");
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            Assert.DoesNotContain("Login", right.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
            using var signedIn = await session.GetAsync("/keys", ct);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }
    }

    [Fact]
    public async Task Pages_that_need_a_signed_in_user_send_visitors_to_the_login_page_on_the_public_origin()
    {
        var ct = Timeout;
        using var session = new PortalSession(fixture.App);
        foreach (var path in new[] { "/keys", "/Account/Manage", "/Account/Manage/EnableAuthenticator" })
        {
            using var page = await session.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            var login = new Uri(session.BaseAddress, page.Headers.Location!);
            // Not the portal's internal address: the browser must stay on the gateway (and CSP form-action 'self' demands it).
            Assert.Equal(session.BaseAddress.GetLeftPart(UriPartial.Authority), login.GetLeftPart(UriPartial.Authority));
            Assert.Equal("/Account/Login", login.AbsolutePath);
        }
    }

    [Fact]
    public async Task Portal_pages_through_the_gateway_carry_the_security_headers()
    {
        var ct = Timeout;
        using var gateway = fixture.CreateGatewayClient();
        foreach (var path in new[] { "/", "/Account/Login", "/Account/Register", "/models", "/no-such-page" })
        {
            using var response = await gateway.GetAsync(path, ct);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(directive => directive.Split(' ')[0], directive => directive);
            Assert.Equal("default-src 'self'", directives["default-src"]);
            Assert.Matches("^script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'$", directives["script-src"]);
            Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
            Assert.Equal("base-uri 'self'", directives["base-uri"]);
            Assert.Equal("form-action 'self'", directives["form-action"]);
            Assert.Equal("object-src 'none'", directives["object-src"]);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);

            if (response.StatusCode == HttpStatusCode.OK)
            {
                // The one inline script (Blazor's import map) carries this response's nonce, and no other inline script exists.
                var nonce = NoncePattern().Match(directives["script-src"]).Groups[1].Value;
                var html = await response.Content.ReadAsStringAsync(ct);
                var inlineScripts = InlineScriptPattern().Matches(html).Select(match => match.Value).ToList();
                Assert.All(inlineScripts, script => Assert.Contains($"nonce=\"{nonce}\"", script, StringComparison.Ordinal));
            }
        }

        // A fresh nonce per response.
        using var first = await gateway.GetAsync("/", ct);
        using var second = await gateway.GetAsync("/", ct);
        Assert.NotEqual(first.Headers.GetValues("Content-Security-Policy").Single(), second.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Auth_and_antiforgery_cookies_are_HttpOnly_SameSite_and_Secure_when_the_public_origin_is_https()
    {
        var ct = Timeout;
        var email = NewEmail();
        using (var owner = new PortalSession(fixture.App))
        {
            await owner.RegisterAsync(email, Password, ct);
        }

        // Over plain http (the local gateway): HttpOnly and SameSite, not Secure, or the browser would drop them.
        var plain = await SignInCollectingCookiesAsync(fixture.App.GetEndpoint("gateway", "http"), forwardedProto: null, email, ct);
        Assert.Matches("(?i)httponly", plain.Auth);
        Assert.Matches("(?i)samesite=lax", plain.Auth);
        Assert.DoesNotMatch("(?i);\\s*secure", plain.Auth);
        Assert.Matches("(?i)httponly", plain.Antiforgery);
        Assert.Matches("(?i)samesite=strict", plain.Antiforgery);

        // Behind TLS the gateway forwards X-Forwarded-Proto: https, and both cookies become Secure.
        var secure = await SignInCollectingCookiesAsync(fixture.App.GetEndpoint("portal", "http"), forwardedProto: "https", email, ct);
        Assert.Matches("(?i);\\s*secure", secure.Auth);
        Assert.Matches("(?i)httponly", secure.Auth);
        Assert.Matches("(?i)samesite=lax", secure.Auth);
        Assert.Matches("(?i);\\s*secure", secure.Antiforgery);
    }

    /// <summary>Signs in with a raw client (no cookie jar, which would not send Secure cookies over http) and returns the Set-Cookie lines.</summary>
    private static async Task<(string Auth, string Antiforgery)> SignInCollectingCookiesAsync(Uri origin, string? forwardedProto, string email, CancellationToken ct)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = origin, Timeout = TestAppHost.RequestTimeout };
        if (forwardedProto is not null)
        {
            http.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }
        using var page = await http.GetAsync("/Account/Login", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var html = await page.Content.ReadAsStringAsync(ct);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "login",
                ["Input.Email"] = email,
                ["Input.Password"] = Password,
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signedIn = await http.SendAsync(post, ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var auth = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal));
        return (auth, antiforgery);
    }

    /// <summary>A six-digit code that is none of the codes Identity accepts around now.</summary>
    private static string WrongCode(string key)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = Enumerable.Range(-3, 7).Select(step => Totp.Compute(key, now + step * Totp.Step)).ToHashSet();
        return Enumerable.Range(0, 20).Select(candidate => $"{candidate * 50_001 % 1_000_000:D6}").First(code => !valid.Contains(code));
    }

    [GeneratedRegex("<kbd[^>]*>([^<]+)</kbd>")]
    private static partial Regex SharedKeyPattern();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScriptPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
