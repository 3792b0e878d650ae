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
/// right UTC boundaries.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class LedgerRunningTotalsTests(AppHostFixture fixture)
{
    private const decimal NanosPerUsd = 1_000_000_000m;

    private static CancellationToken Timeout
    {
        get
        {
            var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            source.CancelAfter(TestAppHost.RequestTimeout);
            return source.Token;
        }
    }

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

    private static async Task CompleteAsync(HttpClient gateway, string text)
    {
        var body = JsonSerializer.Serialize(new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = text } } });
        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        // Usage reaches the ledger asynchronously; the generation's record is written with its posting.
        using var _ = await TestAccounts.WaitForGenerationAsync(gateway, completion.RootElement.GetProperty("id").GetString()!);
    }

    private static async Task PostUsageAsync(NpgsqlConnection db, Guid accountId, Guid keyId, DateTimeOffset at, long nanos)
    {
        await using var transaction = await db.BeginTransactionAsync(Timeout);
        var id = Guid.CreateVersion7();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO ledger_transactions ("Id", "AccountId", "Kind", "Reference", "ApiKeyId", "CreatedAt")
            VALUES (@id, @account, 'Usage', @reference, @key, @at);
            INSERT INTO ledger_entries ("TransactionId", "Book", "AccountId", "Amount")
            VALUES (@id, 'CustomerCredits', @account, -@nanos), (@id, 'ProviderPayable', NULL, @nanos);
            """, db, transaction);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("account", accountId);
        insert.Parameters.AddWithValue("reference", $"test-periods-{id}");
        insert.Parameters.AddWithValue("key", keyId);
        insert.Parameters.AddWithValue("at", at);
        insert.Parameters.AddWithValue("nanos", nanos);
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
