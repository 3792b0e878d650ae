using Billing.Service.Data;
using Billing.Service.Ledger;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Generations;

/// <summary>
/// Writes usage events to Postgres exactly once: each generation row and its ledger transaction commit
/// together (the generation id is both the row's key and the posting's reference), then the account's
/// Redis credits learn that the cost is posted. Replaying an event changes nothing.
/// </summary>
public sealed class UsageRecorder(BillingDbContext db, LedgerService ledger, CreditStore credits)
{
    /// <summary>
    /// Records a batch in one Postgres transaction (one commit, so one WAL flush, instead of one per event: the
    /// consumer keeps up with the gateways). Returns the events that can never be recorded (their account does
    /// not exist); every other event is recorded once, now or before. Throws, with nothing written, when
    /// Postgres fails or refuses the batch (bad data, or another consumer inserted one of its rows first): the
    /// caller then records the events one at a time, or keeps them and tries again.
    /// </summary>
    public async Task<IReadOnlyList<UsageEvent>> RecordBatchAsync(IReadOnlyList<UsageEvent> batch, CancellationToken cancellationToken)
    {
        var accountIds = batch.Select(usage => usage.AccountId).Distinct().Order().ToArray();
        var generationIds = batch.Select(usage => usage.GenerationId).Distinct(StringComparer.Ordinal).ToArray();
        HashSet<Guid> known = [];
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Every statement here runs on a cached plan (the probes are prepared; the ledger's triggers and foreign key
            // checks are planned once per connection). Postgres settles on a generic plan after a few runs, and one
            // made while the tables were small (a fresh database, or the first minutes after a deployment) reads the
            // whole table, and keeps reading it as the table grows until the next ANALYZE. Every lookup here has an
            // index, so plans made here never scan: unlike planning each statement afresh, this costs nothing per row.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off", cancellationToken);
            // The accounts' rows are locked as a single posting locks its one, in one order so batches cannot deadlock.
            known = [.. (await db.Accounts
                .FromSql($"SELECT * FROM accounts WHERE \"Id\" = ANY({accountIds}) ORDER BY \"Id\" FOR UPDATE")
                .AsNoTracking()
                .ToListAsync(cancellationToken)).Select(account => account.Id)];
            var posted = (await db.LedgerTransactions.Where(existing => generationIds.Contains(existing.Reference))
                .Select(existing => existing.Reference).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var recorded = (await db.Generations.Where(existing => generationIds.Contains(existing.Id))
                .Select(existing => existing.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

            List<Generation> generations = [];
            List<LedgerTransaction> postings = [];
            foreach (var usage in batch.Where(usage => known.Contains(usage.AccountId)).DistinctBy(usage => usage.GenerationId))
            {
                if (recorded.Add(usage.GenerationId))
                {
                    generations.Add(ToGeneration(usage));
                }
                if (usage.CostNanos > 0 && posted.Add(usage.GenerationId))
                {
                    postings.Add(ledger.ToTransaction(ToPosting(usage)));
                }
            }
            // COPY, not an INSERT per row: at full load the inserts were most of Postgres's work.
            await PostgresCopy.InsertAsync(db, generations, cancellationToken);
            await PostgresCopy.InsertAsync(db, postings, cancellationToken);
            await PostgresCopy.InsertAsync(db, [.. postings.SelectMany(posting => posting.Entries)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });

        var recordable = batch.Where(usage => known.Contains(usage.AccountId)).ToList();
        // One script call per account, not per event: at full load these were a third of Redis's script calls.
        await Task.WhenAll(recordable.GroupBy(usage => usage.AccountId).Select(account =>
            credits.MarkPostedAsync(account.Key, [.. account.Select(usage => usage.GenerationId).Distinct(StringComparer.Ordinal)])));
        return [.. batch.Where(usage => !known.Contains(usage.AccountId))];
    }

    public async Task RecordAsync(UsageEvent usage, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(account => account.Id == usage.AccountId, cancellationToken))
        {
            throw new UnknownAccountException(usage.AccountId);
        }
        var generation = ToGeneration(usage);
        if (usage.CostNanos > 0)
        {
            await ledger.PostAsync(ToPosting(usage), cancellationToken, db => db.Generations.Add(generation));
        }
        else
        {
            await InsertFreeGenerationAsync(generation, cancellationToken);
        }
        await credits.MarkPostedAsync(usage.AccountId, usage.GenerationId);
    }

    /// <summary>
    /// The account pays the cost. The search provider is owed the web search's fee; the model's provider is owed
    /// the rest, or with the user's own provider key (BYOK) the rest is the platform's fee. Books that get
    /// nothing get no entry (the ledger refuses zero entries), so a posting without a search is as before.
    /// </summary>
    public static LedgerPosting ToPosting(UsageEvent usage)
    {
        if (usage.SearchFeeNanos < 0 || usage.SearchFeeNanos > usage.CostNanos)
        {
            throw new ArgumentException($"Search fee {usage.SearchFeeNanos} is not a part of the cost {usage.CostNanos}", nameof(usage));
        }
        var earner = usage.IsByok ? LedgerBook.PlatformRevenue : LedgerBook.ProviderPayable;
        var tokensNanos = usage.CostNanos - usage.SearchFeeNanos;
        List<LedgerPostingEntry> entries = [new LedgerPostingEntry(LedgerBook.CustomerCredits, -usage.CostNanos, usage.AccountId)];
        if (tokensNanos != 0)
        {
            entries.Add(new LedgerPostingEntry(earner, tokensNanos));
        }
        if (usage.SearchFeeNanos != 0)
        {
            entries.Add(new LedgerPostingEntry(LedgerBook.SearchPayable, usage.SearchFeeNanos));
        }
        return new LedgerPosting(
            usage.AccountId,
            usage.IsByok ? LedgerTransactionKind.PlatformFee : LedgerTransactionKind.Usage,
            Reference: usage.GenerationId,
            Entries: entries,
            Description: $"{usage.Model} via {usage.ProviderName}",
            ApiKeyId: usage.KeyId);
    }

    private async Task InsertFreeGenerationAsync(Generation generation, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Generations.Add(generation);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Delivered before: the row is there already.
        }
    }

    public static Generation ToGeneration(UsageEvent usage) => new()
    {
        Id = usage.GenerationId,
        AccountId = usage.AccountId,
        ApiKeyId = usage.KeyId,
        Model = usage.Model,
        ProviderSlug = usage.ProviderSlug,
        ProviderName = usage.ProviderName,
        EndpointId = usage.EndpointId,
        UpstreamId = usage.UpstreamId,
        PromptTokens = usage.PromptTokens,
        CompletionTokens = usage.CompletionTokens,
        CachedTokens = usage.CachedTokens,
        CacheWriteTokens = usage.CacheWriteTokens,
        ReasoningTokens = usage.ReasoningTokens,
        CostNanos = usage.CostNanos,
        UpstreamCostNanos = usage.UpstreamCostNanos,
        IsByok = usage.IsByok,
        SearchResults = usage.SearchResults,
        SearchFeeNanos = usage.SearchFeeNanos,
        Streamed = usage.Streamed,
        Cancelled = usage.Cancelled,
        FinishReason = usage.FinishReason,
        NativeFinishReason = usage.NativeFinishReason,
        LatencyMs = usage.LatencyMs,
        TimeToFirstTokenMs = usage.TimeToFirstTokenMs,
        GenerationTimeMs = usage.GenerationTimeMs,
        CreatedAt = usage.CreatedAt,
        CreatedDay = DateOnly.FromDateTime(usage.CreatedAt.UtcDateTime),
        AppReferer = usage.AppReferer,
        AppTitle = usage.AppTitle,
    };
}

/// <summary>A usage event names an account that does not exist: it can never be recorded.</summary>
public sealed class UnknownAccountException(Guid accountId) : Exception($"No billing account {accountId}");
