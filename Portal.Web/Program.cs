using Portal.Web.Billing;
using Portal.Web.Components;
using Portal.Web.Extensions;
using Portal.Web.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// First, so that everything after it sees the public scheme, host and client address.
app.UseForwardedHeaders();

// CSP, nosniff, frame and referrer policies on every response, error pages and static files included.
app.UseSecurityHeaders();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

// No HTTPS redirection or HSTS here: the Gateway is the public origin and owns TLS.
// Explicitly after the forwarded headers: left implicit, WebApplication runs authentication and authorization
// first, and a challenge would redirect to the login page on this internal address instead of the public
// origin (which the browser's CSP form-action then blocks after a sign-out).
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

// Endpoints the Identity /Account components post to (logout, external login, passkeys, ...).
app.MapAdditionalIdentityEndpoints();

// The usage dashboard's CSV download: the signed-in user's generations only.
app.MapUsageExport();

app.MapDefaultEndpoints();

app.Run();
