using Billing.Service.Data;
using Billing.Service.Generations;
using Billing.Service.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace IntegrationTests;

/// <summary>
/// Billing's usage recorder on a database of its own, connected as billing connects (statements prepared
/// automatically): after the tables grow without an ANALYZE, as in a fresh deployment's first minute, a batch still
/// looks up its generations by key instead of reading every row recorded so far, and so do the ledger's triggers
/// (balance check, running totals) and foreign key checks.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class UsageRecorderPlanTests(AppHostFixture fixture)
{
    private const int GrownRows = 20_000;

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task A_batch_reads_only_its_own_rows_after_the_tables_grew_without_statistics()
    {
        var server = new NpgsqlConnectionStringBuilder(await fixture.App.GetConnectionStringAsync("billingdb", Timeout));
        var database = $"plans_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync(Timeout);
            await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
        }
        // Billing's settings (PostgresDbContextExtensions): a statement run twice is prepared.
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Database = database, MaxAutoPrepare = 64, AutoPrepareMinUsages = 2,
        }.ConnectionString;
        try
        {
            await using var db = new BillingDbContext(new DbContextOptionsBuilder<BillingDbContext>().UseNpgsql(connectionString).Options);
            await db.Database.MigrateAsync(Timeout);
            await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis", Timeout))!);
            var credits = new CreditStore(redis);
            var recorder = new UsageRecorder(db, new LedgerService(db, credits, TimeProvider.System, NullLogger<LedgerService>.Instance), credits);

            await using var stats = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 0 }.ConnectionString);
            await stats.OpenAsync(Timeout);
            // No ANALYZE but the test's own may come between: the statistics stay those of the small tables.
            await ExecuteAsync(stats, """
                ALTER TABLE generations SET (autovacuum_enabled = false);
                ALTER TABLE ledger_transactions SET (autovacuum_enabled = false);
                ALTER TABLE ledger_entries SET (autovacuum_enabled = false)
                """);
            var accountId = Guid.NewGuid();
            await ExecuteAsync(stats, $"""
                INSERT INTO accounts ("Id", "OwnerUserId", "Email", "CreatedAt") VALUES ('{accountId}', 'plans', 'plans@example.com', now())
                """);

            // Enough batches on the small tables for Postgres to settle on its plans for the prepared probes and the
            // balance check's query.
            const int SmallBatches = 8;
            for (var batch = 0; batch < SmallBatches; batch++)
            {
                Assert.Empty(await recorder.RecordBatchAsync([Usage(accountId, $"small-{batch}-a"), Usage(accountId, $"small-{batch}-b")], Timeout));
                if (batch == 1)
                {
                    // As autovacuum does once a table has its first rows: statistics of a one-page table.
                    await ExecuteAsync(stats, "ANALYZE generations, ledger_transactions, ledger_entries");
                }
            }
            await ExecuteAsync(stats, $"""
                INSERT INTO generations
                SELECT (jsonb_populate_record(NULL::generations, to_jsonb(g) || jsonb_build_object('Id', 'grown-' || i))).*
                FROM generations g CROSS JOIN generate_series(1, {GrownRows}) i WHERE g."Id" = 'small-0-a';
                INSERT INTO ledger_transactions
                SELECT (jsonb_populate_record(NULL::ledger_transactions, to_jsonb(t) || jsonb_build_object('Id', gen_random_uuid(), 'Reference', 'grown-' || i))).*
                FROM ledger_transactions t CROSS JOIN generate_series(1, {GrownRows}) i WHERE t."Reference" = 'small-0-a';
                INSERT INTO ledger_entries ("TransactionId", "Book", "AccountId", "Amount")
                SELECT grown."Id", e."Book", e."AccountId", e."Amount"
                FROM ledger_entries e JOIN ledger_transactions small ON small."Id" = e."TransactionId" AND small."Reference" = 'small-0-a'
                CROSS JOIN ledger_transactions grown WHERE grown."Reference" LIKE 'grown-%'
                """);
            var before = await FlushedStatsAsync(stats, SmallBatches * 2 + GrownRows);

            Assert.Empty(await recorder.RecordBatchAsync([Usage(accountId, "late-a"), Usage(accountId, "late-b")], Timeout));

            var after = await FlushedStatsAsync(stats, SmallBatches * 2 + GrownRows + 2);
            var read = after.ToDictionary(table => table.Key, table => table.Value - before[table.Key]);
            Assert.True(read.Values.All(rows => rows < 100),
                $"after {GrownRows} postings the batch read by sequential scan {string.Join(", ", read.Select(table => $"{table.Value} rows of {table.Key}"))}");
            Assert.Equal(SmallBatches * 2 + GrownRows + 2, await db.Generations.CountAsync(Timeout));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server.ConnectionString);
            await admin.OpenAsync(Timeout);
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static UsageEvent Usage(Guid accountId, string generationId) => new()
    {
        GenerationId = generationId,
        AccountId = accountId,
        KeyId = Guid.NewGuid(),
        Model = "deepseek/deepseek-chat",
        ProviderSlug = "deepseek",
        ProviderName = "DeepSeek",
        PromptTokens = 10,
        CompletionTokens = 5,
        CostNanos = 1_000,
        UpstreamCostNanos = 1_000,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>
    /// Rows read by sequential scans of each table, once the statistics show <paramref name="postings"/> generations
    /// and ledger transactions inserted and two entries for each (a backend reports its counts some time after its
    /// transaction, all together).
    /// </summary>
    private static async Task<Dictionary<string, long>> FlushedStatsAsync(NpgsqlConnection stats, long postings)
    {
        var inserted = new Dictionary<string, long> { ["generations"] = postings, ["ledger_transactions"] = postings, ["ledger_entries"] = postings * 2 };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            await using var query = new NpgsqlCommand("""
                SELECT relname, n_tup_ins, seq_tup_read FROM pg_stat_user_tables WHERE relname IN ('generations', 'ledger_transactions', 'ledger_entries')
                """, stats);
            var rows = new Dictionary<string, (long Inserted, long Read)>();
            await using (var reader = await query.ExecuteReaderAsync(deadline.Token))
            {
                while (await reader.ReadAsync(deadline.Token))
                {
                    rows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
                }
            }
            if (rows.Count == inserted.Count && rows.All(row => row.Value.Inserted == inserted[row.Key]))
            {
                return rows.ToDictionary(row => row.Key, row => row.Value.Read);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Timeout);
    }
}
