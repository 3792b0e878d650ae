using Gateway.Api.Extensions;
using Gateway.Api.Inference;
using Gateway.Api.Preferences;
using OpenRouterClone.Shared;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiErrorHandling();
app.MapDefaultEndpoints();
app.MapInferenceApi();
app.MapUserModelsApi();
app.MapUnknownApiFallback();
app.MapReverseProxy();

app.Run();
