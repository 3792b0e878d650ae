using Gateway.Api.Extensions;
using Gateway.Api.Inference;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapInferenceApi();
app.MapUnknownApiFallback();
app.MapReverseProxy();

app.Run();
