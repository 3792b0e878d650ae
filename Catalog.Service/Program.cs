using Catalog.Service.Admin;
using Catalog.Service.Extensions;
using Catalog.Service.Models;
using OpenRouterClone.Shared;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiErrorHandling();
app.UseCatalogAdminKey();

app.MapDefaultEndpoints();
app.MapModelsApi();
app.MapCatalogAdminApi();
// Unknown API paths answer in OpenRouter's error format too, not with an empty 404.
app.MapFallback("/api/{**path}", (HttpRequest request) => ApiError.NotFound($"No such endpoint: {request.Method} {request.Path}"));

app.Run();
