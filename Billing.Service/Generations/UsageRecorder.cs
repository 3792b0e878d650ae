using Billing.Service.Data;
using Billing.Service.Ledger;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Generations;

/// <summary>
/// Writes a usage event to Postgres exactly once: the generation row and its ledger transaction commit
/// together (the generation id is both the row's key and the posting's reference), then the account's
/// Redis credits learn that the cost is posted. Replaying an event changes nothing.
/// </summary>
public sealed class UsageRecorder(BillingDbContext db, LedgerService ledger, CreditStore credits)
{
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
    /// The account pays the cost; the provider is owed it, or with the user's own provider key (BYOK) the
    /// whole charge is the platform's fee.
    /// </summary>
    public static LedgerPosting ToPosting(UsageEvent usage)
    {
        var earner = usage.IsByok ? LedgerBook.PlatformRevenue : LedgerBook.ProviderPayable;
        return new LedgerPosting(
            usage.AccountId,
            usage.IsByok ? LedgerTransactionKind.PlatformFee : LedgerTransactionKind.Usage,
            Reference: usage.GenerationId,
            Entries:
            [
                new LedgerPostingEntry(LedgerBook.CustomerCredits, -usage.CostNanos, usage.AccountId),
                new LedgerPostingEntry(earner, usage.CostNanos),
            ],
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
