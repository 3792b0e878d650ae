using System.Net;
using Portal.Web.Billing;

namespace ComponentTests;

/// <summary>An in-memory billing account for one or more users, recording which user each call was made for.</summary>
public sealed class FakeBillingClient : IBillingClient
{
    private readonly Dictionary<string, List<ApiKeyInfo>> _keys = [];
    private int _created;

    public List<string> Calls { get; } = [];

    public Dictionary<string, CreditTotals> Credits { get; } = [];

    /// <summary>When set, every call fails with it (as billing's error answers do).</summary>
    public BillingException? Failure { get; set; }

    public ApiKeyInfo AddKey(string userId, string name, bool disabled = false, decimal? limit = null, decimal? limitRemaining = null,
        string? limitReset = null, decimal usage = 0, DateTimeOffset? expiresAt = null, string? hash = null)
    {
        hash ??= Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var key = new ApiKeyInfo(hash, name, $"sk-or-v1-{hash[..3]}...{hash[^3..]}", disabled, limit, limitRemaining, limitReset,
            usage, 0, 0, 0, new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), null, expiresAt, IsProvisioningKey: false);
        KeysList(userId).Add(key);
        return key;
    }

    public IReadOnlyList<ApiKeyInfo> KeysOf(string userId) => KeysList(userId);

    public Task<BillingAccount> EnsureAccountAsync(string userId, string email, CancellationToken cancellationToken = default)
    {
        Record($"ensure {userId} {email}");
        return Task.FromResult(new BillingAccount(Guid.NewGuid(), userId, email, DateTimeOffset.UtcNow));
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(string userId, CancellationToken cancellationToken = default)
    {
        Record($"list {userId}");
        return Task.FromResult<IReadOnlyList<ApiKeyInfo>>([.. KeysList(userId)]);
    }

    public Task<CreatedApiKey> CreateKeyAsync(string userId, string name, decimal? limitUsd = null, KeyLimitReset limitReset = KeyLimitReset.None,
        DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        Record($"create {userId} {name} {limitUsd} {limitReset} {expiresAt:O}");
        var secret = $"sk-or-v1-{++_created:x64}";
        var hash = $"hash-{_created}";
        var key = new ApiKeyInfo(hash, name, $"sk-or-v1-{secret[9..12]}...{secret[^3..]}", false, limitUsd, limitUsd,
            limitReset == KeyLimitReset.None ? null : limitReset.ToString().ToLowerInvariant(), 0, 0, 0, 0,
            DateTimeOffset.UtcNow, null, expiresAt, IsProvisioningKey: false);
        KeysList(userId).Add(key);
        return Task.FromResult(new CreatedApiKey(key, secret));
    }

    public Task<ApiKeyInfo> SetKeyDisabledAsync(string userId, string hash, bool disabled, CancellationToken cancellationToken = default)
    {
        Record($"disable {userId} {hash} {disabled}");
        var keys = KeysList(userId);
        var index = keys.FindIndex(key => key.Hash == hash);
        if (index < 0)
        {
            throw new BillingException(HttpStatusCode.NotFound, "Key not found");
        }
        keys[index] = keys[index] with { Disabled = disabled };
        return Task.FromResult(keys[index]);
    }

    public Task DeleteKeyAsync(string userId, string hash, CancellationToken cancellationToken = default)
    {
        Record($"delete {userId} {hash}");
        if (KeysList(userId).RemoveAll(key => key.Hash == hash) == 0)
        {
            throw new BillingException(HttpStatusCode.NotFound, "Key not found");
        }
        return Task.CompletedTask;
    }

    public Task<CreditTotals> GetCreditsAsync(string userId, CancellationToken cancellationToken = default)
    {
        Record($"credits {userId}");
        return Task.FromResult(Credits.GetValueOrDefault(userId, new CreditTotals(0, 0)));
    }

    public Dictionary<string, List<GenerationInfo>> Generations { get; } = [];

    public Dictionary<string, UsageReport> Usage { get; } = [];

    public Task<GenerationPage> ListGenerationsAsync(string userId, GenerationQuery query, CancellationToken cancellationToken = default)
    {
        Record($"generations {userId} {query.From:yyyy-MM-dd} {query.To:yyyy-MM-dd} model={query.Model} key={query.KeyHash} offset={query.Offset} limit={query.Limit}");
        var matching = Generations.GetValueOrDefault(userId, [])
            .Where(generation => DateOnly.FromDateTime(generation.CreatedAt.UtcDateTime) is var day && day >= query.From && day <= query.To)
            .Where(generation => query.Model is null || generation.Model == query.Model)
            .Where(generation => query.KeyHash is null || generation.KeyHash == query.KeyHash)
            .OrderByDescending(generation => generation.CreatedAt)
            .ToList();
        return Task.FromResult(new GenerationPage([.. matching.Skip(query.Offset).Take(query.Limit)], matching.Count, query.Offset, query.Limit));
    }

    public Task<GenerationInfo?> GetGenerationAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        Record($"generation {userId} {id}");
        return Task.FromResult(Generations.GetValueOrDefault(userId, []).SingleOrDefault(generation => generation.Id == id));
    }

    public Task<UsageReport> GetUsageAsync(string userId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        Record($"usage {userId} {from:yyyy-MM-dd} {to:yyyy-MM-dd}");
        var empty = new UsageReport(from, to, new UsageTotals(0, 0, 0, 0, 0), [], [], []);
        return Task.FromResult(Usage.GetValueOrDefault(userId, empty));
    }

    /// <summary>A generation made <paramref name="minutesAgo"/> before <see cref="BillingContext.Now"/>.</summary>
    public static GenerationInfo Generation(string id, string model = "openai/gpt-4o-mini", decimal cost = 0.0012m, int minutesAgo = 0,
        string? keyHash = "hash-a", string? keyName = "Production app", int prompt = 120, int completion = 45)
        => new(id, BillingContext.Now.AddMinutes(-minutesAgo), model, "OpenAI", keyHash, keyName, keyHash is null ? null : "sk-or-v1-abc...def",
            prompt, completion, TokensReasoning: 5, TokensCached: 20, TotalCost: cost, UpstreamInferenceCost: cost, IsByok: false,
            Latency: 850, TimeToFirstToken: 310, GenerationTime: 540, FinishReason: "stop", NativeFinishReason: "stop",
            Streamed: true, Cancelled: false, AppTitle: null);

    /// <summary>The fee rule the fake prices top-ups with: 5.5 %, at least $0.80, $5 to $10,000 (billing's defaults).</summary>
    public static TopUpPrice Price(decimal amountUsd)
    {
        var fee = Math.Max(0.80m, Math.Round(amountUsd * 0.055m, 2, MidpointRounding.AwayFromZero));
        return new TopUpPrice(amountUsd, fee, amountUsd + fee, 5.5m, 0.80m, 5m, 10_000m, "usd");
    }

    /// <summary>Checkout sessions per user; each GetCheckout answers the next status of its queue (the last one repeats).</summary>
    public Dictionary<string, Dictionary<string, Queue<CheckoutStatus>>> Checkouts { get; } = [];

    public Dictionary<string, List<LedgerTransaction>> Transactions { get; } = [];

    public Task<TopUpPrice> GetTopUpPriceAsync(decimal amountUsd, CancellationToken cancellationToken = default)
    {
        Record($"price {amountUsd}");
        if (amountUsd is < 5m or > 10_000m)
        {
            throw new BillingException(HttpStatusCode.BadRequest, "'amount_usd' must be between 5.00 and 10000.00 USD, in whole cents");
        }
        return Task.FromResult(Price(amountUsd));
    }

    public Task<CheckoutSession> CreateCheckoutAsync(string userId, decimal amountUsd, string successUrl, string cancelUrl,
        string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Record($"checkout {userId} {amountUsd} {successUrl} {cancelUrl}");
        var price = Price(amountUsd);
        var id = $"cs_test_{Checkouts.GetValueOrDefault(userId)?.Count ?? 0}";
        AddCheckout(userId, new CheckoutStatus(id, CheckoutStatus.Pending, price.AmountUsd, price.FeeUsd, price.TotalUsd, 0m));
        return Task.FromResult(new CheckoutSession(id, $"https://checkout.example/pay/{id}", price.AmountUsd, price.FeeUsd, price.TotalUsd));
    }

    public void AddCheckout(string userId, params CheckoutStatus[] statuses)
    {
        if (!Checkouts.TryGetValue(userId, out var sessions))
        {
            Checkouts[userId] = sessions = [];
        }
        sessions[statuses[0].SessionId] = new Queue<CheckoutStatus>(statuses);
    }

    public Task<CheckoutStatus?> GetCheckoutAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        Record($"checkout-status {userId} {sessionId}");
        if (Checkouts.GetValueOrDefault(userId)?.GetValueOrDefault(sessionId) is not { } statuses)
        {
            return Task.FromResult<CheckoutStatus?>(null);
        }
        return Task.FromResult<CheckoutStatus?>(statuses.Count > 1 ? statuses.Dequeue() : statuses.Peek());
    }

    public Task<TransactionPage> ListTransactionsAsync(string userId, int offset, int limit, CancellationToken cancellationToken = default)
    {
        Record($"transactions {userId} offset={offset} limit={limit}");
        var all = Transactions.GetValueOrDefault(userId, []).OrderByDescending(transaction => transaction.CreatedAt).ToList();
        return Task.FromResult(new TransactionPage([.. all.Skip(offset).Take(limit)], offset, limit, all.Count));
    }

    public Dictionary<string, List<ProviderKeyInfo>> ProviderKeys { get; } = [];

    /// <summary>The secrets saved, in order, so tests can check what reached billing without the calls log ever holding one.</summary>
    public List<string> SavedSecrets { get; } = [];

    public Task<IReadOnlyList<ProviderKeyInfo>> ListProviderKeysAsync(string userId, CancellationToken cancellationToken = default)
    {
        Record($"provider-keys {userId}");
        return Task.FromResult<IReadOnlyList<ProviderKeyInfo>>([.. ProviderKeys.GetValueOrDefault(userId, [])]);
    }

    public Task<ProviderKeyInfo> SaveProviderKeyAsync(string userId, string provider, string? apiKey, bool alwaysUse, CancellationToken cancellationToken = default)
    {
        Record($"save-provider-key {userId} {provider} key={(apiKey is null ? "kept" : "new")} always={alwaysUse}");
        var keys = ProviderKeys.TryGetValue(userId, out var existing) ? existing : ProviderKeys[userId] = [];
        var previous = keys.FirstOrDefault(key => key.Provider == provider);
        if (apiKey is null && previous is null)
        {
            throw new BillingException(HttpStatusCode.BadRequest, "'api_key' is required");
        }
        if (apiKey is not null)
        {
            SavedSecrets.Add(apiKey);
        }
        var saved = new ProviderKeyInfo(provider, apiKey is null ? previous!.Hint : "…" + apiKey[^4..], alwaysUse,
            previous?.CreatedAt ?? new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), previous is null ? null : new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        keys.RemoveAll(key => key.Provider == provider);
        keys.Add(saved);
        return Task.FromResult(saved);
    }

    public Task DeleteProviderKeyAsync(string userId, string provider, CancellationToken cancellationToken = default)
    {
        Record($"delete-provider-key {userId} {provider}");
        ProviderKeys.GetValueOrDefault(userId, [])?.RemoveAll(key => key.Provider == provider);
        return Task.CompletedTask;
    }

    public Dictionary<string, ProviderPreferencesInfo> Preferences { get; } = [];

    public Task<ProviderPreferencesInfo> GetPreferencesAsync(string userId, CancellationToken cancellationToken = default)
    {
        Record($"preferences {userId}");
        return Task.FromResult(Preferences.GetValueOrDefault(userId) ?? new ProviderPreferencesInfo(ProviderPreferencesInfo.Allow, []));
    }

    public Task<ProviderPreferencesInfo> SavePreferencesAsync(string userId, ProviderPreferencesInfo preferences, CancellationToken cancellationToken = default)
    {
        Record($"save-preferences {userId} {preferences.DataCollection} {string.Join(',', preferences.IgnoredProviders)}");
        Preferences[userId] = preferences;
        return Task.FromResult(preferences);
    }

    private void Record(string call)
    {
        Calls.Add(call);
        if (Failure is not null)
        {
            throw Failure;
        }
    }

    private List<ApiKeyInfo> KeysList(string userId)
    {
        if (!_keys.TryGetValue(userId, out var keys))
        {
            _keys[userId] = keys = [];
        }
        return keys;
    }
}
