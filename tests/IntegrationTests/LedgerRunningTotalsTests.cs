using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The running totals that billing's ledger trigger keeps (per account, per key and per key and UTC day) equal a full
/// aggregate of the ledger after real postings (a Stripe top-up, adjustments, usage through the gateway), and the
/// public credit and key APIs, which read them, agree; a key's daily, weekly and monthly figures start at the
/// right UTC boundaries; refunds, adjustments, the platform's books and transaction counts add up to the platform
/// totals and the transaction list's count.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class LedgerRunningTotalsTests(AppHostFixture fixture)
{
    private const decimal NanosPerUsd = 1_000_000_000m;

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task Running_totals_equal_the_whole_ledger_and_the_credit_and_key_APIs_agree()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 3);
        await TestAccounts.AdjustCreditsAsync(fixture.App, owner, -0.5m);
        await TestAccounts.TopUpThroughStripeAsync(fixture.App, owner, 10m);
        var first = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "totals-first");
        var second = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "totals-second");
        using var firstGateway = TestAccounts.CreateGatewayClient(fixture.App, first.Secret);
        using var secondGateway = TestAccounts.CreateGatewayClient(fixture.App, second.Secret);
        await CompleteAsync(firstGateway, "one two three");
        await CompleteAsync(firstGateway, "four five six seven");
        await CompleteAsync(secondGateway, "eight nine");

        await using var db = await OpenBillingDbAsync();
        var accountId = await AccountIdAsync(db, owner);
        var totals = await ReadAsync(db, """
            SELECT "CreditsNanos", "UsageNanos", "PurchasedNanos" FROM ledger_account_totals WHERE "AccountId" = @account
            """, accountId, row => (Credits: row.GetInt64(0), Usage: row.GetInt64(1), Purchased: row.GetInt64(2)));
        var aggregate = await ReadAsync(db, """
            SELECT COALESCE(SUM(e."Amount") FILTER (WHERE t."Kind" NOT IN ('Usage', 'PlatformFee')), 0)::bigint,
                   COALESCE(-SUM(e."Amount") FILTER (WHERE t."Kind" IN ('Usage', 'PlatformFee')), 0)::bigint,
                   COALESCE(SUM(e."Amount") FILTER (WHERE t."Kind" = 'TopUp'), 0)::bigint
            FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
            WHERE e."Book" = 'CustomerCredits' AND e."AccountId" = @account
            """, accountId, row => (Credits: row.GetInt64(0), Usage: row.GetInt64(1), Purchased: row.GetInt64(2)));
        Assert.Equal(Assert.Single(aggregate), Assert.Single(totals));
        // What was posted: $3 - $0.50 adjusted, $10 bought, three paid calls.
        Assert.Equal((12_500_000_000L, 10_000_000_000L), (aggregate.Single().Credits, aggregate.Single().Purchased));
        Assert.True(aggregate.Single().Usage > 0);

        var days = await ReadAsync(db, """
            SELECT "ApiKeyId", "Day", "SpentNanos" FROM ledger_key_spending_days WHERE "AccountId" = @account ORDER BY 1, 2
            """, accountId, row => (Key: row.GetGuid(0), Day: row.GetFieldValue<DateOnly>(1), Spent: row.GetInt64(2)));
        var daysFromLedger = await ReadAsync(db, """
            SELECT t."ApiKeyId", (t."CreatedAt" AT TIME ZONE 'UTC')::date, -SUM(e."Amount")::bigint
            FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
            WHERE t."AccountId" = @account AND e."Book" = 'CustomerCredits' AND t."ApiKeyId" IS NOT NULL AND t."Kind" IN ('Usage', 'PlatformFee')
            GROUP BY 1, 2 ORDER BY 1, 2
            """, accountId, row => (Key: row.GetGuid(0), Day: row.GetFieldValue<DateOnly>(1), Spent: row.GetInt64(2)));
        Assert.Equal(daysFromLedger, days);
        var keyTotals = await ReadAsync(db, """
            SELECT "ApiKeyId", "SpentNanos" FROM ledger_key_totals WHERE "AccountId" = @account ORDER BY 1
            """, accountId, row => (Key: row.GetGuid(0), Spent: row.GetInt64(1)));
        Assert.Equal(
            daysFromLedger.GroupBy(day => day.Key).Select(key => (key.Key, key.Sum(day => day.Spent))).OrderBy(key => key.Key),
            keyTotals);
        Assert.Equal(2, keyTotals.Count);
        Assert.Equal(aggregate.Single().Usage, keyTotals.Sum(key => key.Spent));

        using var provisioning = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        using var credits = JsonDocument.Parse(await provisioning.GetStringAsync("/api/v1/credits", Timeout));
        Assert.Equal(aggregate.Single().Credits / NanosPerUsd, credits.RootElement.GetProperty("data").GetProperty("total_credits").GetDecimal());
        Assert.Equal(aggregate.Single().Usage / NanosPerUsd, credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());

        var firstKeyId = await KeyIdAsync(db, first);
        using var current = JsonDocument.Parse(await firstGateway.GetStringAsync("/api/v1/key", Timeout));
        var data = current.RootElement.GetProperty("data");
        var firstSpent = keyTotals.Single(key => key.Key == firstKeyId).Spent;
        Assert.Equal(firstSpent / NanosPerUsd, data.GetProperty("usage").GetDecimal());
        Assert.Equal(days.Where(day => day.Key == firstKeyId && day.Day >= DateOnly.FromDateTime(DateTime.UtcNow)).Sum(day => day.Spent) / NanosPerUsd,
            data.GetProperty("usage_daily").GetDecimal());
        Assert.False(data.GetProperty("is_free_tier").GetBoolean());
    }

    [Fact]
    public async Task A_keys_daily_weekly_and_monthly_usage_start_at_the_UTC_day_week_and_month()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "periods");
        await using var db = await OpenBillingDbAsync();
        var accountId = await AccountIdAsync(db, owner);
        var keyId = await KeyIdAsync(db, key);

        // Usage just either side of each boundary (written straight to the ledger: the gateway only posts "now").
        var now = DateTimeOffset.UtcNow;
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var weekStart = dayStart.AddDays(-(((int)dayStart.DayOfWeek + 6) % 7));
        var monthStart = new DateTimeOffset(dayStart.Year, dayStart.Month, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset[] times =
        [
            dayStart, dayStart.AddTicks(-10), weekStart, weekStart.AddTicks(-10), monthStart, monthStart.AddTicks(-10),
            monthStart.AddDays(-40),
        ];
        var postings = times.Select((at, index) => (At: at, Nanos: 1_000_000L << index)).ToList();
        foreach (var (at, nanos) in postings)
        {
            await PostUsageAsync(db, accountId, keyId, at, nanos);
        }

        long SpentSince(DateTimeOffset start) => postings.Where(posting => posting.At >= start).Sum(posting => posting.Nanos);
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
        using var current = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/key", Timeout));
        var data = current.RootElement.GetProperty("data");
        Assert.Equal(postings.Sum(posting => posting.Nanos) / NanosPerUsd, data.GetProperty("usage").GetDecimal());
        Assert.Equal(SpentSince(dayStart) / NanosPerUsd, data.GetProperty("usage_daily").GetDecimal());
        Assert.Equal(SpentSince(weekStart) / NanosPerUsd, data.GetProperty("usage_weekly").GetDecimal());
        Assert.Equal(SpentSince(monthStart) / NanosPerUsd, data.GetProperty("usage_monthly").GetDecimal());
        // Not vacuous: the periods differ from each other and from the total whenever the boundaries do.
        Assert.True(SpentSince(dayStart) < postings.Sum(posting => posting.Nanos));
    }

    [Fact]
    public async Task Refunds_adjustments_platform_books_and_transaction_counts_are_kept_per_account_and_add_up_to_the_platform_totals()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        await TestAccounts.AdjustCreditsAsync(fixture.App, owner, -0.25m);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "books");
        await using var db = await OpenBillingDbAsync();
        var accountId = await AccountIdAsync(db, owner);
        var keyId = await KeyIdAsync(db, key);
        // Every kind and book the report reads, straight to the ledger (the platform books' entries carry no account).
        var now = DateTimeOffset.UtcNow;
        await PostAsync(db, accountId, null, "Refund", now, ("CustomerCredits", accountId, -1_000), ("PaymentClearing", null, 1_000));
        await PostAsync(db, accountId, null, "Chargeback", now, ("CustomerCredits", accountId, -2_000), ("PaymentClearing", null, 2_000));
        await PostAsync(db, accountId, keyId, "Usage", now,
            ("CustomerCredits", accountId, -3_000), ("ProviderPayable", null, 2_500), ("PlatformRevenue", null, 300), ("SearchPayable", null, 200));
        await PostAsync(db, accountId, keyId, "PlatformFee", now, ("CustomerCredits", accountId, -400), ("PlatformRevenue", null, 400));

        var row = Assert.Single(await ReadAsync(db, """
            SELECT "RefundedNanos", "AdjustedNanos", "PlatformRevenueNanos", "SearchPayableNanos", "TransactionCount", "UsageNanos"
            FROM ledger_account_totals WHERE "AccountId" = @account
            """, accountId, ReadBooks));
        var fromLedger = Assert.Single(await ReadAsync(db, $"""
            SELECT {BooksAggregate}, (SELECT COUNT(*) FROM ledger_transactions WHERE "AccountId" = @account), {UsageAggregate}
            FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
            WHERE COALESCE(e."AccountId", t."AccountId") = @account
            """, accountId, ReadBooks));
        Assert.Equal(fromLedger, row);
        // $5 and -$0.25 adjusted; 1,000 + 2,000 refunded and charged back; 300 + 400 revenue; 200 search; six transactions.
        Assert.Equal((3_000L, 4_750_000_000L, 700L, 200L, 6L, 3_400L), row);

        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        using var page = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{owner.UserId}/transactions?limit=2", Timeout));
        Assert.Equal(6, page.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(2, page.RootElement.GetProperty("data").GetArrayLength());

        // Platform-wide, in one snapshot: the accounts' totals add up to the whole ledger's, whatever else was posted.
        await using (var snapshot = await db.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, Timeout))
        {
            var sums = await PlatformSumsAsync(db);
            var summed = (sums.Refunded, sums.Adjusted, sums.Revenue, sums.Search, sums.Transactions, sums.Usage);
            var whole = Assert.Single(await ReadAsync(db, $"""
                SELECT {BooksAggregate}, (SELECT COUNT(*) FROM ledger_transactions), {UsageAggregate}
                FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                """, accountId, ReadBooks));
            Assert.Equal(whole, summed);
        }

        // The admin report reads those sums: equal to them whenever nothing was posted around the call.
        for (var attempt = 1; ; attempt++)
        {
            var before = await PlatformSumsAsync(db);
            using var report = JsonDocument.Parse(await billing.GetStringAsync("/internal/admin/totals", Timeout));
            if (before != await PlatformSumsAsync(db) && attempt < 5)
            {
                continue;
            }
            var totals = report.RootElement;
            Assert.Equal(before.Refunded / NanosPerUsd, totals.GetProperty("refunds_usd").GetDecimal());
            Assert.Equal(before.Adjusted / NanosPerUsd, totals.GetProperty("adjustments_usd").GetDecimal());
            Assert.Equal(before.Revenue / NanosPerUsd, totals.GetProperty("platform_fees_usd").GetDecimal());
            Assert.Equal(before.Search / NanosPerUsd, totals.GetProperty("search_fees_usd").GetDecimal());
            Assert.Equal(before.Usage / NanosPerUsd, totals.GetProperty("usage_usd").GetDecimal());
            Assert.Equal(before.Purchased / NanosPerUsd, totals.GetProperty("top_ups_usd").GetDecimal());
            Assert.Equal(before.Outstanding / NanosPerUsd, totals.GetProperty("outstanding_credits_usd").GetDecimal());
            break;
        }
    }

    private const string BooksAggregate = """
        COALESCE(-SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" IN ('Refund', 'Chargeback')), 0)::bigint,
        COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" = 'Adjustment'), 0)::bigint,
        COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'PlatformRevenue'), 0)::bigint,
        COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'SearchPayable'), 0)::bigint
        """;

    private const string UsageAggregate = """
        COALESCE(-SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" IN ('Usage', 'PlatformFee')), 0)::bigint
        """;

    private static (long Refunded, long Adjusted, long Revenue, long Search, long Transactions, long Usage) ReadBooks(NpgsqlDataReader row)
        => (row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), row.GetInt64(4), row.GetInt64(5));

    /// <summary>The accounts' running totals summed, as the admin report sums them.</summary>
    private static async Task<(long Refunded, long Adjusted, long Revenue, long Search, long Transactions, long Usage, long Purchased, long Outstanding)> PlatformSumsAsync(NpgsqlConnection db)
    {
        await using var query = new NpgsqlCommand("""
            SELECT COALESCE(SUM("RefundedNanos"), 0)::bigint, COALESCE(SUM("AdjustedNanos"), 0)::bigint, COALESCE(SUM("PlatformRevenueNanos"), 0)::bigint,
                   COALESCE(SUM("SearchPayableNanos"), 0)::bigint, COALESCE(SUM("TransactionCount"), 0)::bigint, COALESCE(SUM("UsageNanos"), 0)::bigint,
                   COALESCE(SUM("PurchasedNanos"), 0)::bigint, COALESCE(SUM("CreditsNanos" - "UsageNanos"), 0)::bigint
            FROM ledger_account_totals
            """, db);
        await using var reader = await query.ExecuteReaderAsync(Timeout);
        Assert.True(await reader.ReadAsync(Timeout));
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
            reader.GetInt64(6), reader.GetInt64(7));
    }

    private static async Task CompleteAsync(HttpClient gateway, string text)
    {
        var body = JsonSerializer.Serialize(new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = text } } });
        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        // Usage reaches the ledger asynchronously; the generation's record is written with its posting.
        using var _ = await TestAccounts.WaitForGenerationAsync(gateway, completion.RootElement.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task A_posting_reads_only_its_own_transactions_from_the_ledger_whatever_join_the_planner_prefers()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "lookups");
        await using var db = await OpenBillingDbAsync();
        var accountId = await AccountIdAsync(db, owner);
        var keyId = await KeyIdAsync(db, key);
        // A ledger of some size, so that reading all of it would show.
        for (var i = 0; i < 60; i++)
        {
            await PostUsageAsync(db, accountId, keyId, DateTimeOffset.UtcNow, 10);
        }

        await using var transaction = await db.BeginTransactionAsync(Timeout);
        // Steer the planner away from lookups by key: a trigger that joins the ledger then reads every transaction.
        await using (var steer = new NpgsqlCommand("SET LOCAL enable_nestloop = off; SET LOCAL enable_seqscan = off", db, transaction))
        {
            await steer.ExecuteNonQueryAsync(Timeout);
        }
        // The backend's counts since its statistics were last reported, which may include earlier transactions: the
        // posting's reads are the difference.
        await using var reads = new NpgsqlCommand("""
            SELECT COALESCE(SUM(seq_tup_read + COALESCE(idx_tup_fetch, 0)), 0)::bigint FROM pg_stat_xact_user_tables WHERE relname = 'ledger_transactions'
            """, db, transaction);
        var readBefore = (long)(await reads.ExecuteScalarAsync(Timeout))!;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO ledger_transactions ("Id", "AccountId", "Kind", "Reference", "ApiKeyId", "CreatedAt")
            VALUES (@id, @account, 'Usage', @reference, @key, now());
            INSERT INTO ledger_entries ("TransactionId", "Book", "AccountId", "Amount")
            VALUES (@id, 'CustomerCredits', @account, -25), (@id, 'ProviderPayable', NULL, 25);
            """, db, transaction))
        {
            var id = Guid.CreateVersion7();
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("account", accountId);
            insert.Parameters.AddWithValue("reference", $"test-lookups-{id}");
            insert.Parameters.AddWithValue("key", keyId);
            await insert.ExecuteNonQueryAsync(Timeout);
        }
        var transactionsRead = (long)(await reads.ExecuteScalarAsync(Timeout))! - readBefore;
        await transaction.RollbackAsync(Timeout);

        // The trigger's three statements and the foreign key's check, each by the one transaction's key: a few rows,
        // not the 60 and more in the ledger.
        Assert.InRange(transactionsRead, 1, 10);
    }

    private static Task PostUsageAsync(NpgsqlConnection db, Guid accountId, Guid keyId, DateTimeOffset at, long nanos)
        => PostAsync(db, accountId, keyId, "Usage", at, ("CustomerCredits", accountId, -nanos), ("ProviderPayable", null, nanos));

    /// <summary>One balanced ledger transaction written as billing writes them: the transaction row, then its entries.</summary>
    private static async Task PostAsync(NpgsqlConnection db, Guid accountId, Guid? keyId, string kind, DateTimeOffset at,
        params (string Book, Guid? AccountId, long Amount)[] entries)
    {
        Assert.Equal(0, entries.Sum(entry => entry.Amount));
        await using var transaction = await db.BeginTransactionAsync(Timeout);
        var id = Guid.CreateVersion7();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO ledger_transactions ("Id", "AccountId", "Kind", "Reference", "ApiKeyId", "CreatedAt")
            VALUES (@id, @account, @kind, @reference, @key, @at);
            INSERT INTO ledger_entries ("TransactionId", "Book", "AccountId", "Amount")
            SELECT @id, book, account, amount FROM unnest(@books, @accounts, @amounts) AS entry(book, account, amount);
            """, db, transaction);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("account", accountId);
        insert.Parameters.AddWithValue("kind", kind);
        insert.Parameters.AddWithValue("reference", $"test-{kind}-{id}");
        insert.Parameters.AddWithValue("key", (object?)keyId ?? DBNull.Value);
        insert.Parameters.AddWithValue("at", at);
        insert.Parameters.AddWithValue("books", entries.Select(entry => entry.Book).ToArray());
        insert.Parameters.AddWithValue("accounts", entries.Select(entry => entry.AccountId).ToArray());
        insert.Parameters.AddWithValue("amounts", entries.Select(entry => entry.Amount).ToArray());
        await insert.ExecuteNonQueryAsync(Timeout);
        await transaction.CommitAsync(Timeout);
    }

    private async Task<NpgsqlConnection> OpenBillingDbAsync()
    {
        var db = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync("billingdb", Timeout));
        await db.OpenAsync(Timeout);
        return db;
    }

    private static async Task<Guid> AccountIdAsync(NpgsqlConnection db, TestAccount owner)
    {
        await using var query = new NpgsqlCommand("SELECT \"Id\" FROM accounts WHERE \"OwnerUserId\" = @owner", db);
        query.Parameters.AddWithValue("owner", owner.UserId);
        return (Guid)(await query.ExecuteScalarAsync(Timeout))!;
    }

    private static async Task<Guid> KeyIdAsync(NpgsqlConnection db, TestKey key)
    {
        await using var query = new NpgsqlCommand("SELECT \"Id\" FROM api_keys WHERE \"Hash\" = @hash", db);
        query.Parameters.AddWithValue("hash", key.Hash);
        return (Guid)(await query.ExecuteScalarAsync(Timeout))!;
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection db, string sql, Guid accountId, Func<NpgsqlDataReader, T> read)
    {
        await using var query = new NpgsqlCommand(sql, db);
        query.Parameters.AddWithValue("account", accountId);
        await using var reader = await query.ExecuteReaderAsync(Timeout);
        List<T> rows = [];
        while (await reader.ReadAsync(Timeout))
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
