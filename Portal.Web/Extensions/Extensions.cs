using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OpenRouterClone.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Web.Admin;
using Portal.Web.Billing;
using Portal.Web.Catalog;
using Portal.Web.Components.Account;
using Portal.Web.Data;
using Portal.Web.Mail;
using Portal.Web.Playground;
using Portal.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Web.Extensions;

public static class Extensions
{
    /// <summary>Isolates the portal's keys from any other app sharing a key store; every replica must use it.</summary>
    public const string DataProtectionApplicationName = "OpenRouterClone.Portal";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        builder.AddReverseProxySupport();
        builder.AddIdentity();
        builder.AddMail();
        builder.AddBillingClient();
        builder.AddCatalogClient();
        builder.AddAdministration();
        builder.AddPlayground();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(new Portal.Web.Components.Billing.CheckoutPolling());
    }

    /// <summary>
    /// The typed client for the catalog's public model API (the same one the gateway serves at /api/v1/models).
    /// Read-only, so the service defaults' resilience handler (retries included) fits as it is.
    /// </summary>
    private static void AddCatalogClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogOptions>()
            .Bind(builder.Configuration.GetSection(CatalogOptions.SectionName))
            .Validate(options => options.BaseUrl.IsAbsoluteUri, "Catalog:BaseUrl must be an absolute URL");
        builder.Services.AddHttpClient<ICatalogClient, CatalogClient>((services, http) =>
            http.BaseAddress = services.GetRequiredService<IOptions<CatalogOptions>>().Value.BaseUrl);
    }

    /// <summary>
    /// The typed client for Billing.Service's internal API. The base address defaults to http://billing,
    /// which service discovery (added to every HttpClient by the service defaults) resolves.
    /// </summary>
    private static void AddBillingClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BillingOptions>()
            .Bind(builder.Configuration.GetSection(BillingOptions.SectionName))
            .Validate(options => options.BaseUrl.IsAbsoluteUri, "Billing:BaseUrl must be an absolute URL");

        // The service defaults' resilience handler retries every method on transient failures; a retried POST
        // could create a second key, so this client gets its own handler that never replays a creation
        // (PUT, PATCH and DELETE here are idempotent and keep their retries).
        // RemoveAllResilienceHandlers is the documented way to replace the defaults' handler, still marked
        // experimental (EXTEXP0001) in Microsoft.Extensions.Http.Resilience 10.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<IBillingClient, BillingClient>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<BillingOptions>>().Value;
                http.BaseAddress = options.BaseUrl;
                http.DefaultRequestHeaders.Add(BillingOptions.InternalApiKeyHeader, options.InternalApiKey);
            })
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => options.Retry.DisableFor(HttpMethod.Post));
#pragma warning restore EXTEXP0001
    }

    /// <summary>
    /// The portal is only reached through the Gateway (YARP), which is the public origin and terminates TLS.
    /// Trusting its X-Forwarded-* headers gives the app the caller's scheme, host and address, so that
    /// redirects, cookies and e-mail links point at the public origin instead of this internal hop.
    /// </summary>
    private static void AddReverseProxySupport(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders =
                ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // The gateway's address is not known in advance (containers, local processes), and the portal
            // is not exposed directly, so any immediate peer is accepted as the proxy.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
        });
    }

    private static void AddIdentity(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDbContext<PortalDbContext>("portaldb");
        // After migrating: the Admin role and the configured first administrator (Admin:Email, Admin:Password).
        builder.Services.AddMigration<PortalDbContext>(AdminSeeder.SeedAsync);

        // Identity cookies and antiforgery tokens are protected with this key ring. Kept in portaldb under one
        // application name, so every replica (and the process after a restart) reads what another one issued.
        builder.Services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<PortalDbContext>();

        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        builder.Services.AddIdentityCore<ApplicationUser>(options =>
            {
                // New accounts sign in only after following the link mailed to them (the mail sink in development).
                options.SignIn.RequireConfirmedAccount = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = AccountSecurity.MaxFailedAccessAttempts;
                options.Lockout.DefaultLockoutTimeSpan = AccountSecurity.LockoutDuration;
                options.Stores.SchemaVersion = PortalDbContext.IdentitySchemaVersion;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // Every Identity cookie (sign-in, external, 2FA) script-proof and not sent on cross-site subrequests.
        // SecurePolicy follows the request: the gateway is the public origin and forwards its scheme, so the
        // cookies are Secure behind HTTPS, while local runs and tests over plain http still work.
        foreach (var scheme in new[]
            {
                IdentityConstants.ApplicationScheme, IdentityConstants.ExternalScheme,
                IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme,
            })
        {
            builder.Services.Configure<CookieAuthenticationOptions>(scheme, options =>
            {
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        }
        // The antiforgery cookie the same way, but Strict (its default): it is only ever needed on same-site posts.
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }

    /// <summary>
    /// Account mail over SMTP when Mail:Host is set (the AppHost always sets it: the emulators' mail sink or a
    /// real server). Without it, the template's no-op sender stays and the Register confirmation page shows the
    /// link itself, which is only acceptable on a developer's machine.
    /// </summary>
    private static void AddMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>()
            .Bind(builder.Configuration.GetSection(MailOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (builder.Configuration.GetSection(MailOptions.SectionName).Get<MailOptions>()?.IsConfigured == true)
        {
            builder.Services.AddSingleton<IEmailSender<ApplicationUser>, SmtpEmailSender>();
        }
        else
        {
            builder.Services.AddSingleton<IEmailSender<ApplicationUser>, IdentityNoOpEmailSender>();
        }
    }
}
