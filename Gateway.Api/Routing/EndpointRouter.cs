using Microsoft.AspNetCore.Http;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared;

namespace Gateway.Api.Routing;

/// <summary>The routing fields of a request: the model, the <c>models</c> fallbacks, provider preferences and the parameters it uses.</summary>
public sealed record RoutingRequest(
    string? Model,
    IReadOnlyList<string>? Models,
    ProviderPreferences? Provider,
    IReadOnlyCollection<string> UsedParameters);

/// <summary>One endpoint to try. <paramref name="ModelId"/> is the id reported back to the caller (without <c>:floor</c>/<c>:nitro</c>/<c>:thinking</c>/<c>:online</c>).</summary>
/// <param name="Thinking">The caller asked for the <c>:thinking</c> variant: reasoning is switched on for this endpoint.</param>
public sealed record RouteCandidate(string ModelId, SnapshotModel Model, SnapshotEndpoint Endpoint, SnapshotProvider Provider, bool Thinking = false)
{
    /// <summary>The caller asked for the <c>:online</c> variant: the web plugin runs (a web search fed into the prompt).</summary>
    public bool Online { get; init; }

    /// <summary>The caller's own key for this provider when the call goes out with it (bring-your-own-key).</summary>
    public ByokSecret? Byok { get; init; }

    /// <summary>What the caller pays per token: the endpoint's price, or with their own key the platform fee's share of it.</summary>
    public SnapshotPricing ChargedPricing { get; init; } = Endpoint.Pricing;
}

/// <summary>Either the candidates in the order to try them, or the error to answer (status and message).</summary>
public sealed record RoutingDecision(IReadOnlyList<RouteCandidate> Candidates, int ErrorStatus = 0, string? ErrorMessage = null)
{
    public bool IsError => ErrorMessage is not null;

    public static RoutingDecision Error(int status, string message) => new([], status, message);
}

/// <summary>
/// Picks and orders the endpoints for a request from the catalog snapshot; pure, so every preference is unit
/// tested. <c>openrouter/auto</c> stands for <see cref="AutoModels"/>. Per model (the <c>model</c>, then each
/// of <c>models</c> in order; unknown ones are skipped; <c>:thinking</c> keeps reasoning endpoints and turns reasoning on):
/// <list type="number">
/// <item>the caller's filters: <c>:free</c> (price 0), <c>only</c>, <c>ignore</c>, <c>quantizations</c>,
///   <c>data_collection: deny</c>, <c>zdr</c>, <c>max_price</c>, <c>require_parameters</c> — emptied: 404 naming them;</item>
/// <item>availability: endpoint status &gt;= 0, provider not Down, and a wire format this gateway has an
///   adapter for (<see cref="CallableWireFormats"/>) — emptied: 503;</item>
/// <item>order: <c>provider.order</c> first, then by <c>sort</c> (<c>:floor</c> = price, <c>:nitro</c> = throughput;
///   default price = prompt + completion per token), ties by price then provider slug;</item>
/// <item>load balancing, only in the default order (no <c>sort</c>, no <c>order</c>, no <c>:floor</c>/<c>:nitro</c>) and
///   only when the caller passes a <see cref="PriceLoadBalancing"/>: the first endpoint is drawn among those without
///   recent failures, weighted by 1/price² (a free endpoint is taken first without a draw); the rest stay in price
///   order. Without one the default order is plain ascending price, as with <c>sort: price</c>;</item>
/// <item><c>allow_fallbacks: false</c> keeps only the providers in <c>order</c>, or only the first without one.</item>
/// </list>
/// </summary>
public static class EndpointRouter
{
    public const string AutoModelId = "openrouter/auto";

    /// <summary>
    /// What <c>openrouter/auto</c> chooses from, best value first: strong general models that are cheap and
    /// fast. Auto keeps those whose endpoints support every parameter the request uses (tools, response
    /// format, reasoning, ...), in this order, and falls back down the list; the chosen model is reported in
    /// <c>model</c>. If none supports them all, the whole list is tried.
    /// </summary>
    public static readonly IReadOnlyList<string> AutoModels =
        ["openai/gpt-4o-mini", "google/gemini-2.5-flash", "deepseek/deepseek-chat", "anthropic/claude-3.5-haiku"];

    /// <summary>The provider API formats the gateway has adapters for.</summary>
    public static readonly IReadOnlySet<string> CallableWireFormats = new HashSet<string>(StringComparer.Ordinal)
    {
        SnapshotWireFormats.OpenAIChat,
        SnapshotWireFormats.AnthropicMessages,
        SnapshotWireFormats.GeminiGenerateContent,
    };

    /// <param name="loadBalancing">The default order's price-weighted draw; null keeps it in plain price order.</param>
    public static RoutingDecision Route(RoutingRequest request, CatalogIndex catalog, PriceLoadBalancing? loadBalancing = null)
    {
        var preferences = request.Provider ?? new ProviderPreferences();
        if (preferences.Validate() is { } problem)
        {
            return RoutingDecision.Error(StatusCodes.Status400BadRequest, problem);
        }

        var ids = new List<string>();
        if (!string.IsNullOrWhiteSpace(request.Model))
        {
            ids.Add(request.Model);
        }
        foreach (var id in request.Models ?? [])
        {
            if (!string.IsNullOrWhiteSpace(id) && !ids.Contains(id, StringComparer.OrdinalIgnoreCase))
            {
                ids.Add(id);
            }
        }
        if (ids.Count == 0)
        {
            return RoutingDecision.Error(StatusCodes.Status400BadRequest, "'model' (or a 'models' list) is required");
        }

        var autoAt = ids.FindIndex(id => string.Equals(id, AutoModelId, StringComparison.OrdinalIgnoreCase));
        if (autoAt >= 0)
        {
            ids.RemoveAt(autoAt);
            ids.InsertRange(autoAt, AutoChoices(request.UsedParameters, catalog).Where(id => !ids.Contains(id, StringComparer.OrdinalIgnoreCase)));
        }

        var candidates = new List<RouteCandidate>();
        RoutingDecision? firstProblem = null;
        foreach (var id in ids)
        {
            if (Resolve(id, catalog) is not { } resolved)
            {
                continue;
            }
            var decision = Endpoints(resolved, preferences, request.UsedParameters, catalog, loadBalancing);
            if (decision.IsError)
            {
                firstProblem ??= decision;
                continue;
            }
            candidates.AddRange(decision.Candidates);
        }

        if (candidates.Count > 0)
        {
            return new RoutingDecision(candidates);
        }
        return firstProblem ?? RoutingDecision.Error(StatusCodes.Status404NotFound,
            ids.Count == 1 ? $"Model {ids[0]} not found" : $"None of the models {string.Join(", ", ids)} were found");
    }

    private static IEnumerable<string> AutoChoices(IReadOnlyCollection<string> usedParameters, CatalogIndex catalog)
    {
        var capable = AutoModels
            .Where(id => catalog.FindModel(id) is { } model && model.Endpoints.Any(endpoint =>
                usedParameters.All(parameter => endpoint.SupportedParameters.Contains(parameter, StringComparer.Ordinal))))
            .ToList();
        return capable.Count > 0 ? capable : AutoModels;
    }

    private sealed record ResolvedModel(string ReportedId, SnapshotModel Model, string? Sort, bool FreeOnly, bool Thinking = false, bool Online = false);

    /// <summary>The exact id first; else a variant suffix on a known base model.</summary>
    private static ResolvedModel? Resolve(string id, CatalogIndex catalog)
    {
        if (catalog.FindModel(id) is { } exact)
        {
            return new ResolvedModel(exact.Id, exact, null, false);
        }
        var colon = id.LastIndexOf(':');
        if (colon <= 0 || catalog.FindModel(id[..colon]) is not { } baseModel)
        {
            return null;
        }
        return id[(colon + 1)..].ToLowerInvariant() switch
        {
            "floor" => new ResolvedModel(baseModel.Id, baseModel, ProviderPreferences.SortPrice, false),
            "nitro" => new ResolvedModel(baseModel.Id, baseModel, ProviderPreferences.SortThroughput, false),
            "thinking" => new ResolvedModel(baseModel.Id, baseModel, null, false, Thinking: true),
            // Every endpoint of the base model; the web plugin adds the search (reported as the base model, as OpenRouter does).
            "online" => new ResolvedModel(baseModel.Id, baseModel, null, false, Online: true),
            // No :free model of its own: the base model's endpoints that cost nothing, if any.
            "free" => new ResolvedModel(baseModel.Id + ":free", baseModel, null, true),
            _ => null,
        };
    }

    private static RoutingDecision Endpoints(
        ResolvedModel resolved, ProviderPreferences preferences, IReadOnlyCollection<string> usedParameters, CatalogIndex catalog,
        PriceLoadBalancing? loadBalancing)
    {
        var endpoints = resolved.Model.Endpoints
            .Select(endpoint => (Endpoint: endpoint, Provider: catalog.FindProvider(endpoint.Provider)))
            .Where(pair => pair.Provider is not null)
            .Select(pair => (pair.Endpoint, Provider: pair.Provider!))
            .ToList();

        // 1. The caller's filters.
        var filters = new List<string>();
        void Filter(string name, bool active, Func<SnapshotEndpoint, SnapshotProvider, bool> keep)
        {
            if (active)
            {
                filters.Add(name);
                endpoints.RemoveAll(pair => !keep(pair.Endpoint, pair.Provider));
            }
        }

        Filter(":free", resolved.FreeOnly, (endpoint, _) => endpoint.Pricing is { Prompt: 0, Completion: 0, Request: 0 });
        Filter("only", preferences.Only is { Count: > 0 }, (_, provider) => Names(preferences.Only!, provider));
        Filter("ignore", preferences.Ignore is { Count: > 0 }, (_, provider) => !Names(preferences.Ignore!, provider));
        Filter("quantizations", preferences.Quantizations is { Count: > 0 }, (endpoint, _) =>
            preferences.Quantizations!.Contains(endpoint.Quantization ?? "unknown", StringComparer.OrdinalIgnoreCase));
        Filter("data_collection", preferences.DataCollection == "deny", (_, provider) => KeepsNoData(provider));
        Filter("zdr", preferences.Zdr == true, (_, provider) => provider.ZeroDataRetention);
        Filter("max_price", preferences.MaxPrice is not null, (endpoint, _) =>
            (preferences.MaxPrice!.Prompt is not { } prompt || endpoint.Pricing.Prompt * 1_000_000m <= prompt)
            && (preferences.MaxPrice.Completion is not { } completion || endpoint.Pricing.Completion * 1_000_000m <= completion));
        Filter("require_parameters", preferences.RequireParameters == true && usedParameters.Count > 0, (endpoint, _) =>
            usedParameters.All(parameter => endpoint.SupportedParameters.Contains(parameter, StringComparer.Ordinal)));
        Filter(":thinking", resolved.Thinking, (endpoint, _) => endpoint.SupportedParameters.Contains("reasoning", StringComparer.Ordinal));

        if (endpoints.Count == 0)
        {
            return RoutingDecision.Error(StatusCodes.Status404NotFound, filters.Count == 0
                ? $"No endpoints found for {resolved.ReportedId}"
                : $"No endpoints found for {resolved.ReportedId} matching your provider preferences ({string.Join(", ", filters)})");
        }

        // 2. Availability.
        var unsupported = endpoints
            .Where(pair => !CallableWireFormats.Contains(pair.Provider.WireFormat))
            .Select(pair => pair.Provider.Name)
            .ToList();
        endpoints.RemoveAll(pair => pair.Endpoint.Status < 0
            || pair.Provider.Status == "Down"
            || !CallableWireFormats.Contains(pair.Provider.WireFormat));
        if (endpoints.Count == 0)
        {
            return RoutingDecision.Error(StatusCodes.Status503ServiceUnavailable, unsupported.Count > 0
                ? $"No available endpoint for {resolved.ReportedId}: its providers ({string.Join(", ", unsupported.Distinct())}) use an API format this gateway cannot call yet"
                : $"No available endpoint for {resolved.ReportedId}: its providers are down");
        }

        // 3. Order.
        var sort = preferences.Sort ?? resolved.Sort ?? ProviderPreferences.SortPrice;
        var order = preferences.Order ?? [];
        var ordered = endpoints
            .OrderBy(pair => OrderRank(order, pair.Provider))
            .ThenBy(pair => sort switch
            {
                ProviderPreferences.SortThroughput => -(pair.Endpoint.Stats?.ThroughputP50Last30m ?? double.MinValue / 2),
                ProviderPreferences.SortLatency => pair.Endpoint.Stats?.LatencyP50Last30m ?? double.MaxValue,
                _ => 0d,
            })
            .ThenBy(pair => pair.Endpoint.Pricing.Prompt + pair.Endpoint.Pricing.Completion)
            .ThenBy(pair => pair.Provider.Slug, StringComparer.Ordinal)
            .ToList();

        // 3b. Load balancing (the default order only; sort and order are the caller's wish for determinism).
        if (loadBalancing is not null && preferences.Sort is null && resolved.Sort is null && order.Count == 0 && ordered.Count > 1)
        {
            var first = loadBalancing.DrawFirst([.. ordered.Select(pair => (pair.Endpoint.Pricing.Prompt + pair.Endpoint.Pricing.Completion, pair.Endpoint.Id))]);
            if (first > 0)
            {
                var drawn = ordered[first];
                ordered.RemoveAt(first);
                ordered.Insert(0, drawn);
            }
        }

        // 4. No fallbacks: the providers named in order, or the top one.
        if (preferences.AllowFallbacks == false)
        {
            ordered = order.Count > 0
                ? ordered.Where(pair => OrderRank(order, pair.Provider) < order.Count).ToList()
                : ordered.Take(1).ToList();
            if (ordered.Count == 0)
            {
                return RoutingDecision.Error(StatusCodes.Status404NotFound,
                    $"No endpoints found for {resolved.ReportedId} matching your provider preferences (order, allow_fallbacks)");
            }
        }

        return new RoutingDecision([.. ordered.Select(pair => new RouteCandidate(resolved.ReportedId, resolved.Model, pair.Endpoint, pair.Provider, resolved.Thinking) { Online = resolved.Online })]);
    }

    /// <summary>What <c>data_collection: deny</c> keeps: providers that neither train on prompts nor retain them.</summary>
    public static bool KeepsNoData(SnapshotProvider provider) => !provider.TrainsOnData && provider.DataRetentionDays == 0;

    private static bool Names(IReadOnlyList<string> names, SnapshotProvider provider)
        => names.Any(name => Matches(name, provider));

    private static bool Matches(string name, SnapshotProvider provider)
        => string.Equals(name, provider.Slug, StringComparison.OrdinalIgnoreCase)
           || string.Equals(name, provider.Name, StringComparison.OrdinalIgnoreCase);

    private static int OrderRank(IReadOnlyList<string> order, SnapshotProvider provider)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (Matches(order[i], provider))
            {
                return i;
            }
        }
        return order.Count;
    }
}
