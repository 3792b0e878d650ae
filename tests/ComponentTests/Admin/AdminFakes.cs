using Portal.Web.Admin;

namespace ComponentTests.Admin;

/// <summary>An in-memory catalog admin API that records every call.</summary>
public sealed class FakeCatalogAdminClient : ICatalogAdminClient
{
    public List<string> Calls { get; } = [];

    public List<AdminProvider> Providers { get; } =
    [
        new("openai", "OpenAI", "openai", "active", true),
        new("deepinfra", "DeepInfra", "openai", "active", true),
    ];

    public List<AdminModel> Models { get; } =
    [
        new("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", 128_000, true,
        [
            Endpoint("openai/gpt-4o-mini", "openai", "0.00000015", "0.0000006"),
        ]),
        new("meta-llama/llama-3.1-8b-instruct", "Meta: Llama 3.1 8B Instruct", 131_072, true,
        [
            Endpoint("meta-llama/llama-3.1-8b-instruct", "deepinfra", "0.00000003", "0.00000005"),
            Endpoint("meta-llama/llama-3.1-8b-instruct", "openai", "0.00000004", "0.00000006"),
        ]),
    ];

    public List<PricingUpdate> PricingUpdates { get; } = [];

    public AdminApiException? Failure { get; set; }

    public static AdminEndpoint Endpoint(string modelId, string provider, string prompt, string completion, bool enabled = true)
        => new(modelId.Length + provider.Length, modelId, provider, modelId, 128_000, null,
            new AdminPricing(prompt, completion, "0", "0", "0"), "active", enabled);

    public Task<IReadOnlyList<AdminProvider>> ListProvidersAsync(CancellationToken cancellationToken = default)
        => Answer("providers", () => (IReadOnlyList<AdminProvider>)[.. Providers]);

    public Task<IReadOnlyList<AdminModel>> ListModelsAsync(CancellationToken cancellationToken = default)
        => Answer("models", () => (IReadOnlyList<AdminModel>)[.. Models]);

    public List<CatalogChange> Changes { get; } = [];

    public Task<IReadOnlyList<CatalogChange>> ListChangesAsync(int limit, CancellationToken cancellationToken = default)
        => Answer($"changes {limit}", () => (IReadOnlyList<CatalogChange>)[.. Changes.Take(limit)]);

    public List<EndpointHealth> EndpointHealth { get; } = [];

    public List<EndpointFailure> RecentFailures { get; } = [];

    public List<OpenCircuit> OpenCircuits { get; } = [];

    public Task<IReadOnlyList<OpenCircuit>> ListOpenCircuitsAsync(CancellationToken cancellationToken = default)
        => Answer("open circuits", () => (IReadOnlyList<OpenCircuit>)[.. OpenCircuits]);

    public Task<IReadOnlyList<EndpointHealth>> ListEndpointHealthAsync(CancellationToken cancellationToken = default)
        => Answer("endpoint health", () => (IReadOnlyList<EndpointHealth>)[.. EndpointHealth]);

    public Task<IReadOnlyList<EndpointFailure>> ListRecentFailuresAsync(int limit, CancellationToken cancellationToken = default)
        => Answer($"endpoint failures {limit}", () => (IReadOnlyList<EndpointFailure>)[.. RecentFailures.Take(limit)]);

    public Task<AdminEndpoint> UpdatePricingAsync(string modelId, string provider, PricingUpdate pricing, string actor, CancellationToken cancellationToken = default)
        => Answer($"pricing {modelId} {provider} by {actor}", () =>
        {
            PricingUpdates.Add(pricing);
            var endpoint = FindEndpoint(modelId, provider);
            var updated = endpoint with
            {
                Pricing = endpoint.Pricing with
                {
                    Prompt = pricing.Prompt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? endpoint.Pricing.Prompt,
                    Completion = pricing.Completion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? endpoint.Pricing.Completion,
                },
            };
            ReplaceEndpoint(updated);
            return updated;
        });

    public Task<AdminProvider> SetProviderEnabledAsync(string slug, bool enabled, string actor, CancellationToken cancellationToken = default)
        => Answer($"provider {slug} enabled={enabled} by {actor}", () =>
        {
            var index = Providers.FindIndex(provider => provider.Slug == slug);
            Providers[index] = Providers[index] with { IsEnabled = enabled };
            return Providers[index];
        });

    public Task<AdminModel> SetModelEnabledAsync(string modelId, bool enabled, string actor, CancellationToken cancellationToken = default)
        => Answer($"model {modelId} enabled={enabled} by {actor}", () =>
        {
            var index = Models.FindIndex(model => model.Id == modelId);
            Models[index] = Models[index] with { IsEnabled = enabled };
            return Models[index];
        });

    public Task<AdminEndpoint> SetEndpointEnabledAsync(string modelId, string provider, bool enabled, string actor, CancellationToken cancellationToken = default)
        => Answer($"endpoint {modelId} {provider} enabled={enabled} by {actor}", () =>
        {
            var updated = FindEndpoint(modelId, provider) with { IsEnabled = enabled };
            ReplaceEndpoint(updated);
            return updated;
        });

    private AdminEndpoint FindEndpoint(string modelId, string provider)
        => Models.Single(model => model.Id == modelId).Endpoints.Single(endpoint => endpoint.Provider == provider);

    private void ReplaceEndpoint(AdminEndpoint updated)
    {
        var index = Models.FindIndex(model => model.Id == updated.ModelId);
        Models[index] = Models[index] with
        {
            Endpoints = [.. Models[index].Endpoints.Select(endpoint => endpoint.Provider == updated.Provider ? updated : endpoint)],
        };
    }

    private Task<T> Answer<T>(string call, Func<T> answer)
    {
        Calls.Add(call);
        return Failure is { } failure ? Task.FromException<T>(failure) : Task.FromResult(answer());
    }
}

/// <summary>In-memory billing adjustments and totals.</summary>
public sealed class FakeBillingAdminClient : IBillingAdminClient
{
    public List<string> Calls { get; } = [];

    public List<(string UserId, CreditAdjustment Adjustment)> Adjustments { get; } = [];

    public List<AdjustmentRecord> Audit { get; } = [];

    public PlatformTotals Totals { get; set; } = new(3, 100m, 5.5m, 12.25m, 0m, 10m, 97.75m, SearchFeesUsd: 0.02m);

    public Task<CreditAdjustmentResult> AdjustCreditsAsync(string userId, CreditAdjustment adjustment, CancellationToken cancellationToken = default)
    {
        Calls.Add($"adjust {userId} {adjustment.AmountUsd} '{adjustment.Reason}' by {adjustment.Actor}");
        Adjustments.Add((userId, adjustment));
        Audit.Insert(0, new AdjustmentRecord(Guid.NewGuid(), userId, $"{userId}@example.com", adjustment.AmountUsd, adjustment.Reason, adjustment.Actor,
            DateTimeOffset.UtcNow));
        return Task.FromResult(new CreditAdjustmentResult("posted", Adjustments.Where(a => a.UserId == userId).Sum(a => a.Adjustment.AmountUsd)));
    }

    public Task<IReadOnlyList<AdjustmentRecord>> ListAdjustmentsAsync(int limit, CancellationToken cancellationToken = default)
    {
        Calls.Add($"adjustments {limit}");
        return Task.FromResult<IReadOnlyList<AdjustmentRecord>>([.. Audit.Take(limit)]);
    }

    public Task<PlatformTotals> GetTotalsAsync(CancellationToken cancellationToken = default)
    {
        Calls.Add("totals");
        return Task.FromResult(Totals);
    }
}

/// <summary>In-memory portal users with the same self-protection rules as the real one.</summary>
public sealed class FakeUserAdministration : IUserAdministration
{
    public List<string> Calls { get; } = [];

    public List<AdminUser> Users { get; } = [];

    public Task<IReadOnlyList<AdminUser>> SearchAsync(string? emailContains, int limit, CancellationToken cancellationToken = default)
    {
        Calls.Add($"search '{emailContains}'");
        return Task.FromResult<IReadOnlyList<AdminUser>>([.. Users
            .Where(user => string.IsNullOrWhiteSpace(emailContains) || user.Email.Contains(emailContains.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderBy(user => user.Email)
            .Take(limit)]);
    }

    public Task<AdminUser> SetLockedAsync(string userId, bool locked, string actingUserId, CancellationToken cancellationToken = default)
    {
        Calls.Add($"lock {userId} {locked} by {actingUserId}");
        if (locked && userId == actingUserId)
        {
            throw new UserAdministrationException("You cannot lock your own account.");
        }
        return Task.FromResult(Replace(userId, user => user with { LockedUntil = locked ? DateTimeOffset.MaxValue : null }));
    }

    public Task<AdminUser> SetAdminAsync(string userId, bool admin, string actingUserId, CancellationToken cancellationToken = default)
    {
        Calls.Add($"admin {userId} {admin} by {actingUserId}");
        if (userId == actingUserId)
        {
            throw new UserAdministrationException("You cannot change your own Admin role.");
        }
        return Task.FromResult(Replace(userId, user => user with { IsAdmin = admin }));
    }

    private AdminUser Replace(string userId, Func<AdminUser, AdminUser> change)
    {
        var index = Users.FindIndex(user => user.Id == userId);
        if (index < 0)
        {
            throw new UserAdministrationException("No such user.");
        }
        Users[index] = change(Users[index]);
        return Users[index];
    }
}

/// <summary>Fixed health answers.</summary>
public sealed class FakeServiceHealthProbe : IServiceHealthProbe
{
    public List<ServiceHealthResult> Results { get; } =
    [
        new("gateway", "Healthy", TimeSpan.FromMilliseconds(12), "HTTP 200"),
        new("billing", "Unreachable", TimeSpan.FromMilliseconds(5000), "timed out"),
    ];

    public Task<IReadOnlyList<ServiceHealthResult>> CheckAllAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<ServiceHealthResult>>(Results);
}

