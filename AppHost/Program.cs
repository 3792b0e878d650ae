using AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var stores = builder.AddDataStores();

var emulators = builder.AddProject<Projects.Emulators>("emulators");

// The catalog admin API's service-to-service key: Parameters:catalog-admin-key from configuration (user secrets,
// environment), or a fresh random value for each run. Whatever calls the admin API gets it from here.
var catalogAdminKey = builder.AddParameter("catalog-admin-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var catalog = builder.AddProject<Projects.Catalog_Service>("catalog")
    .WithReference(stores.CatalogDb).WaitFor(stores.CatalogDb)
    .WithReference(stores.Redis).WaitFor(stores.Redis)
    .WithEnvironment("CatalogAdmin__ApiKey", catalogAdminKey);

var billing = builder.AddProject<Projects.Billing_Service>("billing")
    .WithReference(stores.BillingDb).WaitFor(stores.BillingDb)
    .WithReference(stores.Redis).WaitFor(stores.Redis);

var portal = builder.AddProject<Projects.Portal_Web>("portal")
    .WithReference(stores.PortalDb).WaitFor(stores.PortalDb)
    .WithReference(billing);

// The gateway is the single public origin: the API, and the portal behind it.
builder.AddProject<Projects.Gateway_Api>("gateway")
    .WithReference(stores.Redis).WaitFor(stores.Redis)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(billing).WaitFor(billing)
    .WithReference(portal).WaitFor(portal)
    .WithReference(emulators).WaitFor(emulators)
    .WithExternalHttpEndpoints();

builder.Build().Run();
