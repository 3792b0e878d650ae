using Gateway.Api.Extensions;
using Gateway.Api.Inference;
using OpenRouterClone.Shared;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiErrorHandling();
app.MapDefaultEndpoints();
app.MapInferenceApi();
app.MapUnknownApiFallback();
app.MapReverseProxy();

app.Run();
