using AppHost;
using AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var stores = builder.AddDataStores();

// Every service reports healthy only once /health passes (migrations applied, stores reachable), so
// WaitFor and the tests' readiness checks mean "ready to serve", not merely "process started".
var emulators = builder.AddProject<Projects.Emulators>("emulators")
    .WithHttpHealthCheck("/health")
    // The development mail sink's SMTP port (the emulator reads it as Emulator:Mail:SmtpPort); /mail lists what arrived.
    .WithEndpoint(name: "smtp", scheme: "tcp", env: "Emulator__Mail__SmtpPort");

// The catalog admin API's service-to-service key: Parameters:catalog-admin-key from configuration (user secrets,
// environment), or a fresh random value for each run. Whatever calls the admin API gets it from here.
var catalogAdminKey = builder.AddParameter("catalog-admin-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var catalog = builder.AddProject<Projects.Catalog_Service>("catalog")
    .WithHttpHealthCheck("/health")
    .WithReference(stores.CatalogDb).WaitFor(stores.CatalogDb)
    .WithReference(stores.Redis).WaitFor(stores.Redis)
    .WithEnvironment("CatalogAdmin__ApiKey", catalogAdminKey);

// Billing's internal API key, shared with its callers (the portal, and gateways loading credits), chosen the same way.
var billingInternalKey = builder.AddParameter("billing-internal-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var billing = builder.AddProject<Projects.Billing_Service>("billing")
    .WithHttpHealthCheck("/health")
    .WithReference(stores.BillingDb).WaitFor(stores.BillingDb)
    .WithReference(stores.Redis).WaitFor(stores.Redis)
    .WithEnvironment("InternalApi__ApiKey", billingInternalKey);

// Stripe Checkout top-ups. Parameters:stripe-secret-key holds the real secret key; without one (or with a key
// starting with sk_test_emulator) billing talks to the Stripe emulator, and the emulator posts its signed webhooks
// to billing. Parameters:stripe-webhook-secret must be the endpoint's signing secret (whsec_...) for real Stripe;
// for the emulator a random one is generated per run and given to both sides.
const string StripeEmulatorKey = "sk_test_emulator";
var configuredStripeKey = builder.Configuration["Parameters:stripe-secret-key"];
var useStripeEmulator = string.IsNullOrEmpty(configuredStripeKey) || configuredStripeKey.StartsWith(StripeEmulatorKey, StringComparison.Ordinal);
var stripeSecretKey = builder.AddParameter("stripe-secret-key",
    () => string.IsNullOrEmpty(configuredStripeKey) ? StripeEmulatorKey : configuredStripeKey, secret: true);
var stripeWebhookSecret = builder.AddParameter("stripe-webhook-secret",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

billing
    .WithEnvironment("Stripe__SecretKey", stripeSecretKey)
    .WithEnvironment("Stripe__WebhookSecret", stripeWebhookSecret);
if (useStripeEmulator)
{
    // Endpoint references, not WithReference: billing calls the emulator and the emulator calls billing back,
    // and neither has to wait for the other to start.
    var emulatorsHttp = emulators.GetEndpoint("http");
    billing.WithEnvironment("Stripe__ApiBase", ReferenceExpression.Create($"{emulatorsHttp}/stripe"));
    emulators
        .WithEnvironment("Stripe__Webhooks__0__Url", ReferenceExpression.Create($"{billing.GetEndpoint("http")}/api/stripe/webhook"))
        .WithEnvironment("Stripe__Webhooks__0__Secret", stripeWebhookSecret)
        .WithEnvironment("Stripe__PublicBaseUrl", ReferenceExpression.Create($"{emulatorsHttp}/stripe"));
}

// The first administrator, created (or promoted) by the portal at start: Parameters:admin-email and the secret
// Parameters:admin-password (generated once per run when not configured; see the dashboard's parameters).
var adminEmail = builder.AddParameter("admin-email", "admin@localhost");
var adminPassword = builder.AddParameter("admin-password",
    new GenerateParameterDefault { MinLength = 20, Upper = true, Lower = true, Numeric = true, Special = true, MinUpper = 1, MinLower = 1, MinNumeric = 1, MinSpecial = 1 },
    secret: true);

var portal = builder.AddProject<Projects.Portal_Web>("portal")
    .WithHttpHealthCheck("/health")
    .WithReference(stores.PortalDb).WaitFor(stores.PortalDb)
    .WithReference(billing)
    .WithReference(catalog)
    .WithReference(emulators)
    .WithEnvironment("Billing__InternalApiKey", billingInternalKey)
    .WithEnvironment("CatalogAdmin__ApiKey", catalogAdminKey)
    .WithEnvironment("Admin__Email", adminEmail)
    .WithEnvironment("Admin__Password", adminPassword);

// The portal's mail (account confirmation, password reset). Parameters:smtp-host names a real SMTP server (with
// smtp-port, default 587 with STARTTLS, smtp-username and the secret smtp-password); without it the portal
// delivers to the emulators' mail sink, whose /mail page shows the messages.
var mailFrom = builder.AddParameter("mail-from",
    () => builder.Configuration["Parameters:mail-from"] ?? "OpenRouterClone <no-reply@openrouterclone.localhost>");
portal.WithEnvironment("Mail__From", mailFrom);
if (!string.IsNullOrWhiteSpace(builder.Configuration["Parameters:smtp-host"]))
{
    var smtpPort = builder.Configuration["Parameters:smtp-port"];
    portal
        .WithEnvironment("Mail__Host", builder.AddParameter("smtp-host"))
        .WithEnvironment("Mail__Port", builder.AddParameter("smtp-port", () => string.IsNullOrWhiteSpace(smtpPort) ? "587" : smtpPort))
        .WithEnvironment("Mail__EnableSsl", "true")
        .WithEnvironment("Mail__UserName", builder.AddParameter("smtp-username", () => builder.Configuration["Parameters:smtp-username"] ?? ""))
        .WithEnvironment("Mail__Password", builder.AddParameter("smtp-password", () => builder.Configuration["Parameters:smtp-password"] ?? "", secret: true));
}
else
{
    var smtp = emulators.GetEndpoint("smtp");
    portal
        .WithEnvironment("Mail__Host", smtp.Property(EndpointProperty.Host))
        .WithEnvironment("Mail__Port", smtp.Property(EndpointProperty.Port))
        .WithEnvironment("Mail__EnableSsl", "false");
}

// The gateway is the single public origin: the API, and the portal behind it. It keeps no state of its own that
// must be shared (keys, credits, holds and request caps live in Redis), so it runs as Gateway:Replicas processes;
// the launch profile's fixed port (5080) is Aspire's proxy, which spreads connections over the replicas.
var gatewayOptions = GatewayHostingOptions.From(builder.Configuration);
var gateway = builder.AddProject<Projects.Gateway_Api>("gateway")
    .WithReplicas(gatewayOptions.Replicas)
    .WithHttpHealthCheck("/health")
    .WithReference(stores.Redis).WaitFor(stores.Redis)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(billing).WaitFor(billing)
    .WithReference(portal).WaitFor(portal)
    .WithReference(emulators).WaitFor(emulators)
    .WithEnvironment("Billing__InternalApiKey", billingInternalKey)
    .WithExternalHttpEndpoints();
if (gatewayOptions.InlineSocketCompletions)
{
    gateway.WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// Real providers: each parameter provider-key-<slug> (user secrets or environment, e.g.
// Parameters__provider-key-openai) sends that provider's traffic to its real API (the base URL in the catalog)
// with that key; every other provider stays on the emulator.
const string ProviderKeyPrefix = "provider-key-";
foreach (var configured in builder.Configuration.GetSection("Parameters").GetChildren()
    .Where(parameter => parameter.Key.StartsWith(ProviderKeyPrefix, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(parameter.Value)))
{
    var providerKey = builder.AddParameter(configured.Key, secret: true);
    gateway.WithEnvironment($"Upstreams__Providers__{configured.Key[ProviderKeyPrefix.Length..]}__ApiKey", providerKey);
}

// Web search (the web plugin, :online models): the emulators' Exa stand-in (the gateway's default,
// http://emulators/exa), or Exa itself when the parameter exa-api-key is set.
if (!string.IsNullOrWhiteSpace(builder.Configuration["Parameters:exa-api-key"]))
{
    gateway
        .WithEnvironment("WebSearch__BaseUrl", "https://api.exa.ai")
        .WithEnvironment("WebSearch__ApiKey", builder.AddParameter("exa-api-key", secret: true));
}

// The admin area's system page asks the gateway's /health too (an endpoint reference: no start-up dependency).
portal.WithReference(gateway.GetEndpoint("http"));

// Trace sampling for every service (Telemetry:TraceSampleRatio); added last, so it replaces Aspire's always_on.
foreach (var (name, value) in TelemetryHostingOptions.From(builder.Configuration).SamplerEnvironment())
{
    foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
    {
        builder.CreateResourceBuilder(project).WithEnvironment(name, value);
    }
}

builder.Build().Run();
