using AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var stores = builder.AddDataStores();

// Every service reports healthy only once /health passes (migrations applied, stores reachable), so
// WaitFor and the tests' readiness checks mean "ready to serve", not merely "process started".
var emulators = builder.AddProject<Projects.Emulators>("emulators")
    .WithHttpHealthCheck("/health");

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

var portal = builder.AddProject<Projects.Portal_Web>("portal")
    .WithHttpHealthCheck("/health")
    .WithReference(stores.PortalDb).WaitFor(stores.PortalDb)
    .WithReference(billing)
    .WithReference(catalog)
    .WithEnvironment("Billing__InternalApiKey", billingInternalKey);

// The gateway is the single public origin: the API, and the portal behind it.
builder.AddProject<Projects.Gateway_Api>("gateway")
    .WithHttpHealthCheck("/health")
    .WithReference(stores.Redis).WaitFor(stores.Redis)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(billing).WaitFor(billing)
    .WithReference(portal).WaitFor(portal)
    .WithReference(emulators).WaitFor(emulators)
    .WithEnvironment("Billing__InternalApiKey", billingInternalKey)
    .WithExternalHttpEndpoints();

builder.Build().Run();
