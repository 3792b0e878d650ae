using Catalog.Service.Data;
using Catalog.Service.Models;
using Catalog.Service.Providers;
using Catalog.Service.Snapshot;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Shared;

namespace Catalog.Service.Admin;

/// <summary>
/// Create, update, disable and enable providers, models, endpoints and prices. Every effective change bumps
/// the catalog version, leaves an audit row and republishes the snapshot. Guarded by <see cref="AdminKey"/>;
/// the gateway does not forward these paths.
/// </summary>
public static class CatalogAdminApi
{
    public const string BasePath = "/api/admin/catalog";
    private const int DefaultChangeLimit = 50;
    private const int MaxChangeLimit = 500;

    public static IEndpointRouteBuilder MapCatalogAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath);
        api.MapGet("/version", GetVersionAsync);
        api.MapGet("/changes", GetChangesAsync);
        api.MapEndpointHealth();
        api.MapOpenCircuits();

        api.MapGet("/providers", GetProvidersAsync);
        api.MapPut("/providers/{slug}", UpsertProviderAsync);
        api.MapPost("/providers/{slug}/disable", (string slug, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
            => SetProviderEnabledAsync(slug, false, http, editor, publisher, ct));
        api.MapPost("/providers/{slug}/enable", (string slug, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
            => SetProviderEnabledAsync(slug, true, http, editor, publisher, ct));

        api.MapGet("/models", ListModelsAsync);
        api.MapGet("/models/{author}/{slug}", GetModelAsync);
        api.MapPut("/models/{author}/{slug}", UpsertModelAsync);
        api.MapPost("/models/{author}/{slug}/disable", (string author, string slug, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
            => SetModelEnabledAsync($"{author}/{slug}", false, http, editor, publisher, ct));
        api.MapPost("/models/{author}/{slug}/enable", (string author, string slug, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
            => SetModelEnabledAsync($"{author}/{slug}", true, http, editor, publisher, ct));

        api.MapPut("/models/{author}/{slug}/endpoints/{provider}", UpsertEndpointAsync);
        api.MapPatch("/models/{author}/{slug}/endpoints/{provider}/pricing", UpdatePricingAsync);
        api.MapPost("/models/{author}/{slug}/endpoints/{provider}/disable", (string author, string slug, string provider, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
            => SetEndpointEnabledAsync($"{author}/{slug}", provider, false, http, editor, publisher, ct));
        api.MapPost("/models/{author}/{slug}/endpoints/{provider}/enable", (string author, string slug, string provider, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
            => SetEndpointEnabledAsync($"{author}/{slug}", provider, true, http, editor, publisher, ct));
        return app;
    }

    private static async Task<IResult> GetVersionAsync(CatalogDbContext db, CancellationToken ct)
        => TypedResults.Ok(new CatalogVersionResponse(await CatalogSnapshotPublisher.CurrentVersionAsync(db, ct)));

    /// <summary>The audit trail, newest first; <c>before</c> pages back by version.</summary>
    private static async Task<IResult> GetChangesAsync(
        CatalogDbContext db, [FromQuery] long? before, [FromQuery] int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? DefaultChangeLimit, 1, MaxChangeLimit);
        var changes = await db.Changes.AsNoTracking()
            .Where(change => before == null || change.Version < before)
            .OrderByDescending(change => change.Version)
            .Take(take)
            .Select(change => new CatalogChangeResponse(
                change.Version, change.ChangedAt, change.Actor, change.EntityType, change.EntityId, change.Action, change.Summary))
            .ToListAsync(ct);
        return TypedResults.Ok(new CatalogChangeListResponse(changes));
    }

    private static async Task<IResult> GetProvidersAsync(CatalogDbContext db, CancellationToken ct)
    {
        var providers = await db.Providers.AsNoTracking().OrderBy(provider => provider.Slug).ToListAsync(ct);
        return TypedResults.Ok(new AdminProviderListResponse([.. providers.Select(ToAdmin)]));
    }

    private static Task<IResult> UpsertProviderAsync(
        string slug, ProviderUpsertRequest request, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
        => RunAsync(
            () => editor.EditAsync(AdminKey.Actor(http.Request), CatalogChanges.Provider, slug, CatalogChanges.Update,
                async token =>
                {
                    var provider = await FindProviderAsync(editor, slug, token);
                    if (provider is null)
                    {
                        return Add(editor, CatalogEdits.CreateProvider(slug, request));
                    }
                    CatalogEdits.Apply(provider, request);
                    return provider;
                },
                ToAdmin, ct),
            publisher, (version, changed, published, data) => new AdminProviderResult(version, changed, published, data),
            $"{BasePath}/providers/{slug}", ct);

    private static Task<IResult> SetProviderEnabledAsync(
        string slug, bool enabled, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
        => RunAsync(
            () => editor.EditAsync(AdminKey.Actor(http.Request), CatalogChanges.Provider, slug, EnableAction(enabled),
                async token =>
                {
                    var provider = await FindProviderAsync(editor, slug, token) ?? throw ProviderNotFound(slug);
                    provider.IsEnabled = enabled;
                    return provider;
                },
                ToAdmin, ct),
            publisher, (version, changed, published, data) => new AdminProviderResult(version, changed, published, data),
            location: null, ct);

    /// <summary>Every model with its endpoints, disabled ones included (the public API hides those).</summary>
    private static async Task<IResult> ListModelsAsync(CatalogDbContext db, CancellationToken ct)
    {
        var models = await db.Models.AsNoTracking().Include(model => model.Endpoints).OrderBy(model => model.Id).ToListAsync(ct);
        return TypedResults.Ok(new AdminModelListResponse([.. models.Select(ToAdmin)]));
    }

    private static async Task<IResult> GetModelAsync(string author, string slug, CatalogDbContext db, CancellationToken ct)
    {
        var id = $"{author}/{slug}";
        var model = await db.Models.AsNoTracking().Include(model => model.Endpoints).SingleOrDefaultAsync(model => model.Id == id, ct);
        return model is null ? ApiError.NotFound($"Model '{id}' not found") : TypedResults.Ok(new AdminModelEnvelope(ToAdmin(model)));
    }

    private static Task<IResult> UpsertModelAsync(
        string author, string slug, ModelUpsertRequest request, HttpContext http, CatalogEditor editor,
        CatalogSnapshotPublisher publisher, TimeProvider time, CancellationToken ct)
    {
        var id = $"{author}/{slug}";
        return RunAsync(
            () => editor.EditAsync(AdminKey.Actor(http.Request), CatalogChanges.Model, id, CatalogChanges.Update,
                async token =>
                {
                    var model = await FindModelAsync(editor, id, token);
                    if (model is null)
                    {
                        return Add(editor, CatalogEdits.CreateModel(id, request, time.GetUtcNow()));
                    }
                    CatalogEdits.Apply(model, request);
                    return model;
                },
                ToAdmin, ct),
            publisher, (version, changed, published, data) => new AdminModelResult(version, changed, published, data),
            $"{BasePath}/models/{id}", ct);
    }

    private static Task<IResult> SetModelEnabledAsync(
        string id, bool enabled, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
        => RunAsync(
            () => editor.EditAsync(AdminKey.Actor(http.Request), CatalogChanges.Model, id, EnableAction(enabled),
                async token =>
                {
                    var model = await FindModelAsync(editor, id, token) ?? throw ModelNotFound(id);
                    model.IsEnabled = enabled;
                    return model;
                },
                ToAdmin, ct),
            publisher, (version, changed, published, data) => new AdminModelResult(version, changed, published, data),
            location: null, ct);

    private static Task<IResult> UpsertEndpointAsync(
        string author, string slug, string provider, EndpointUpsertRequest request, HttpContext http, CatalogEditor editor,
        CatalogSnapshotPublisher publisher, CancellationToken ct)
    {
        var modelId = $"{author}/{slug}";
        return RunAsync(
            () => editor.EditAsync(AdminKey.Actor(http.Request), CatalogChanges.Endpoint, EndpointId(modelId, provider), CatalogChanges.Update,
                async token =>
                {
                    var endpoint = await FindEndpointAsync(editor, modelId, provider, token);
                    if (endpoint is null)
                    {
                        var model = await FindModelAsync(editor, modelId, token) ?? throw ModelNotFound(modelId);
                        var upstream = await FindProviderAsync(editor, provider, token) ?? throw ProviderNotFound(provider);
                        return Add(editor, CatalogEdits.CreateEndpoint(model, upstream, request));
                    }
                    CatalogEdits.Apply(endpoint, request);
                    return endpoint;
                },
                ToAdmin, ct),
            publisher, (version, changed, published, data) => new AdminEndpointResult(version, changed, published, data),
            $"{BasePath}/models/{modelId}/endpoints/{provider}", ct);
    }

    private static Task<IResult> UpdatePricingAsync(
        string author, string slug, string provider, PricingRequest request, HttpContext http, CatalogEditor editor,
        CatalogSnapshotPublisher publisher, CancellationToken ct)
    {
        var modelId = $"{author}/{slug}";
        return RunAsync(
            () => editor.EditAsync(AdminKey.Actor(http.Request), CatalogChanges.Endpoint, EndpointId(modelId, provider), CatalogChanges.Update,
                async token =>
                {
                    var endpoint = await FindEndpointAsync(editor, modelId, provider, token) ?? throw EndpointNotFound(modelId, provider);
                    CatalogEdits.Apply(endpoint, request);
                    return endpoint;
                },
                ToAdmin, ct),
            publisher, (version, changed, published, data) => new AdminEndpointResult(version, changed, published, data),
            location: null, ct);
    }

    private static Task<IResult> SetEndpointEnabledAsync(
        string modelId, string provider, bool enabled, HttpContext http, CatalogEditor editor, CatalogSnapshotPublisher publisher, CancellationToken ct)
        => RunAsync(
            () => editor.EditAsync(AdminKey.Actor(http.Request), CatalogChanges.Endpoint, EndpointId(modelId, provider), EnableAction(enabled),
                async token =>
                {
                    var endpoint = await FindEndpointAsync(editor, modelId, provider, token) ?? throw EndpointNotFound(modelId, provider);
                    endpoint.IsEnabled = enabled;
                    return endpoint;
                },
                ToAdmin, ct),
            publisher, (version, changed, published, data) => new AdminEndpointResult(version, changed, published, data),
            location: null, ct);

    /// <summary>Runs an edit, publishes the snapshot when something changed, and answers 201, 200 or the edit's error.</summary>
    private static async Task<IResult> RunAsync<T, TResult>(
        Func<Task<Edit<T>>> edit, CatalogSnapshotPublisher publisher, Func<long, bool, bool, T, TResult> respond,
        string? location, CancellationToken ct)
    {
        Edit<T> outcome;
        try
        {
            outcome = await edit();
        }
        catch (CatalogEditException refused)
        {
            return ApiError.Create(refused.StatusCode, refused.Message);
        }

        var published = outcome.Changed && await publisher.TryPublishAsync(ct);
        var body = respond(outcome.Version, outcome.Changed, published, outcome.Data);
        return outcome.Created ? TypedResults.Created(location, body) : TypedResults.Ok(body);
    }

    private static T Add<T>(CatalogEditor editor, T entity) where T : class
    {
        editor.Db.Add(entity);
        return entity;
    }

    private static Task<Provider?> FindProviderAsync(CatalogEditor editor, string slug, CancellationToken ct)
        => editor.Db.Providers.SingleOrDefaultAsync(provider => provider.Slug == slug, ct);

    private static Task<Model?> FindModelAsync(CatalogEditor editor, string id, CancellationToken ct)
        => editor.Db.Models.Include(model => model.Endpoints).SingleOrDefaultAsync(model => model.Id == id, ct);

    private static Task<ModelEndpoint?> FindEndpointAsync(CatalogEditor editor, string modelId, string provider, CancellationToken ct)
        => editor.Db.ModelEndpoints.SingleOrDefaultAsync(endpoint => endpoint.ModelId == modelId && endpoint.ProviderSlug == provider, ct);

    private static string EnableAction(bool enabled) => enabled ? CatalogChanges.Enable : CatalogChanges.Disable;

    private static string EndpointId(string modelId, string provider) => $"{modelId}@{provider}";

    private static CatalogEditException ProviderNotFound(string slug) => CatalogEditException.NotFound($"Provider '{slug}' not found");

    private static CatalogEditException ModelNotFound(string id) => CatalogEditException.NotFound($"Model '{id}' not found");

    private static CatalogEditException EndpointNotFound(string modelId, string provider)
        => CatalogEditException.NotFound($"Model '{modelId}' has no endpoint at provider '{provider}'");

    internal static AdminProviderResponse ToAdmin(Provider provider) => new(
        Slug: provider.Slug,
        Name: provider.Name,
        BaseUrl: provider.BaseUrl.ToString(),
        WireFormat: provider.WireFormat.ToString(),
        Status: provider.Status.ToString(),
        IsEnabled: provider.IsEnabled,
        Headquarters: provider.Headquarters,
        Datacenters: provider.Datacenters,
        DataRetentionDays: provider.DataRetentionDays,
        TrainsOnData: provider.TrainsOnData,
        ZeroDataRetention: provider.ZeroDataRetention,
        PrivacyPolicyUrl: provider.PrivacyPolicyUrl,
        TermsOfServiceUrl: provider.TermsOfServiceUrl,
        StatusPageUrl: provider.StatusPageUrl);

    internal static AdminModelResponse ToAdmin(Model model) => new(
        Id: model.Id,
        CanonicalSlug: model.CanonicalSlug,
        Name: model.Name,
        Description: model.Description,
        HuggingFaceId: model.HuggingFaceId,
        Created: model.CreatedAt.ToUnixTimeSeconds(),
        ContextLength: model.ContextLength,
        InputModalities: model.InputModalities,
        OutputModalities: model.OutputModalities,
        Tokenizer: model.Tokenizer,
        InstructType: model.InstructType,
        Categories: model.Categories,
        IsEnabled: model.IsEnabled,
        Endpoints: [.. model.Endpoints.OrderBy(endpoint => endpoint.ProviderSlug, StringComparer.Ordinal).Select(ToAdmin)]);

    internal static AdminEndpointResponse ToAdmin(ModelEndpoint endpoint) => new(
        Id: endpoint.Id,
        ModelId: endpoint.ModelId,
        Provider: endpoint.ProviderSlug,
        UpstreamModelName: endpoint.UpstreamModelName,
        ContextLength: endpoint.ContextLength,
        MaxCompletionTokens: endpoint.MaxCompletionTokens,
        MaxPromptTokens: endpoint.MaxPromptTokens,
        Quantization: endpoint.Quantization,
        Pricing: ModelsApi.ToPricing(endpoint, includeDiscount: true),
        SupportedParameters: endpoint.SupportedParameters,
        IsModerated: endpoint.IsModerated,
        SupportsImplicitCaching: endpoint.SupportsImplicitCaching,
        Status: endpoint.Status.ToString(),
        IsEnabled: endpoint.IsEnabled);
}
