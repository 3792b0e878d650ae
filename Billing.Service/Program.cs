using Billing.Service.Accounts;
using Billing.Service.Admin;
using Billing.Service.Byok;
using Billing.Service.Extensions;
using Billing.Service.Generations;
using Billing.Service.Keys;
using Billing.Service.Ledger;
using Billing.Service.Payments;
using Billing.Service.Preferences;
using OpenRouterClone.Shared;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiErrorHandling();
app.UseInternalApiKey();
app.MapDefaultEndpoints();
app.MapAccountsApi();
app.MapKeysApi();
app.MapCreditsApi();
app.MapInternalCreditsApi();
app.MapGenerationsApi();
app.MapPaymentsApi();
app.MapStripeWebhook();
app.MapGenerationsInternalApi();
app.MapProviderKeysApi();
app.MapPreferencesApi();
app.MapAdminReportsApi();

app.Run();
