using System.Security.Claims;
using System.Xml.Linq;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationTests.Portal;

/// <summary>
/// The portal's Data Protection key ring lives in portaldb: a sign-in cookie the running portal issued is read by
/// a second, independent Data Protection provider that knows nothing but the rows of portaldb's DataProtectionKeys
/// table and the portal's application name, exactly what another portal replica (or the next process) would have.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PortalDataProtectionTests(AppHostFixture fixture)
{
    private const string Password = "Str0ng!Passw0rd";

    // Must match Portal.Web.Extensions.Extensions.DataProtectionApplicationName (the test does not reference the portal).
    private const string PortalApplicationName = "OpenRouterClone.Portal";

    // How ASP.NET Core Identity's application cookie handler names its cookie and derives its protector.
    private const string IdentityCookieName = ".AspNetCore.Identity.Application";
    private static readonly string[] IdentityCookiePurposes =
        ["Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Identity.Application", "v2"];

    private static CancellationToken Timeout => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token).Token;

    [Fact]
    public async Task A_sign_in_cookie_from_the_portal_is_readable_with_the_key_ring_stored_in_portaldb()
    {
        var ct = Timeout;
        var email = $"dataprotection-{Guid.NewGuid():N}@example.com";
        using var session = new PortalSession(fixture.App);
        await session.RegisterAsync(email, Password, ct); // signs in too
        var userId = await session.GetUserIdAsync(ct);
        var cookie = session.CookieValue(IdentityCookieName);
        Assert.False(string.IsNullOrEmpty(cookie));

        var storedKeys = await ReadStoredKeysAsync(ct);
        Assert.NotEmpty(storedKeys);

        var ticket = CookieFormat(storedKeys, PortalApplicationName).Unprotect(cookie);
        Assert.NotNull(ticket);
        Assert.Equal(userId, ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal(email, ticket.Principal.FindFirstValue(ClaimTypes.Name));

        // The application name is part of every protector's purpose: keys alone, under another name, read nothing.
        Assert.Null(CookieFormat(storedKeys, "SomeOtherApplication").Unprotect(cookie));
    }

    private async Task<IReadOnlyList<XElement>> ReadStoredKeysAsync(CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync("portaldb", ct));
        await db.OpenAsync(ct);
        await using var query = new NpgsqlCommand("SELECT \"Xml\" FROM \"DataProtectionKeys\"", db);
        await using var reader = await query.ExecuteReaderAsync(ct);
        var keys = new List<XElement>();
        while (await reader.ReadAsync(ct))
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }
        return keys;
    }

    /// <summary>A provider over the stored keys only: it may not create a key of its own, nor read any other store.</summary>
    private static TicketDataFormat CookieFormat(IReadOnlyList<XElement> storedKeys, string applicationName)
    {
        var services = new ServiceCollection();
        services.AddDataProtection()
            .SetApplicationName(applicationName)
            .DisableAutomaticKeyGeneration();
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new StoredKeyRepository(storedKeys));
        var provider = services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
        return new TicketDataFormat(provider.CreateProtector(IdentityCookiePurposes));
    }

    private sealed class StoredKeyRepository(IReadOnlyList<XElement> keys) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => keys;

        public void StoreElement(XElement element, string friendlyName) =>
            throw new InvalidOperationException("The test's provider must only read the portal's stored keys.");
    }
}
