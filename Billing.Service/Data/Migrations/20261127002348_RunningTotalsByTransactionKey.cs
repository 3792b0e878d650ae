using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Service.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunningTotalsByTransactionKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The trigger reads each inserted entry's transaction by its key. As a join, the planner could read the whole
            // ledger for a statement's few entries (a hash join over every transaction), and did: a batch of usage
            // postings then cost time in proportion to the ledger's size. OFFSET 0 keeps the lookup a lookup.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION ledger_add_to_running_totals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ledger_account_totals ("AccountId", "CreditsNanos", "UsageNanos", "PurchasedNanos",
                        "RefundedNanos", "AdjustedNanos", "PlatformRevenueNanos", "SearchPayableNanos", "TransactionCount")
                    SELECT COALESCE(e."AccountId", t."AccountId"),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" NOT IN ('Usage', 'PlatformFee')), 0),
                           COALESCE(-SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" IN ('Usage', 'PlatformFee')), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" = 'TopUp'), 0),
                           COALESCE(-SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" IN ('Refund', 'Chargeback')), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" = 'Adjustment'), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'PlatformRevenue'), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'SearchPayable'), 0),
                           0
                    FROM inserted_entries e CROSS JOIN LATERAL (
                        SELECT "AccountId", "Kind", "ApiKeyId", "CreatedAt" FROM ledger_transactions WHERE "Id" = e."TransactionId" OFFSET 0) t
                    WHERE e."Book" IN ('CustomerCredits', 'PlatformRevenue', 'SearchPayable')
                    GROUP BY 1
                    ORDER BY 1
                    ON CONFLICT ("AccountId") DO UPDATE SET
                        "CreditsNanos" = ledger_account_totals."CreditsNanos" + EXCLUDED."CreditsNanos",
                        "UsageNanos" = ledger_account_totals."UsageNanos" + EXCLUDED."UsageNanos",
                        "PurchasedNanos" = ledger_account_totals."PurchasedNanos" + EXCLUDED."PurchasedNanos",
                        "RefundedNanos" = ledger_account_totals."RefundedNanos" + EXCLUDED."RefundedNanos",
                        "AdjustedNanos" = ledger_account_totals."AdjustedNanos" + EXCLUDED."AdjustedNanos",
                        "PlatformRevenueNanos" = ledger_account_totals."PlatformRevenueNanos" + EXCLUDED."PlatformRevenueNanos",
                        "SearchPayableNanos" = ledger_account_totals."SearchPayableNanos" + EXCLUDED."SearchPayableNanos";

                    INSERT INTO ledger_key_totals ("ApiKeyId", "AccountId", "SpentNanos")
                    SELECT t."ApiKeyId", (array_agg(t."AccountId"))[1], -SUM(e."Amount")
                    FROM inserted_entries e CROSS JOIN LATERAL (
                        SELECT "AccountId", "Kind", "ApiKeyId", "CreatedAt" FROM ledger_transactions WHERE "Id" = e."TransactionId" OFFSET 0) t
                    WHERE e."Book" = 'CustomerCredits' AND t."ApiKeyId" IS NOT NULL AND t."Kind" IN ('Usage', 'PlatformFee')
                    GROUP BY t."ApiKeyId"
                    ORDER BY t."ApiKeyId"
                    ON CONFLICT ("ApiKeyId") DO UPDATE SET
                        "SpentNanos" = ledger_key_totals."SpentNanos" + EXCLUDED."SpentNanos";

                    INSERT INTO ledger_key_spending_days ("ApiKeyId", "Day", "AccountId", "SpentNanos")
                    SELECT t."ApiKeyId", (t."CreatedAt" AT TIME ZONE 'UTC')::date, (array_agg(t."AccountId"))[1], -SUM(e."Amount")
                    FROM inserted_entries e CROSS JOIN LATERAL (
                        SELECT "AccountId", "Kind", "ApiKeyId", "CreatedAt" FROM ledger_transactions WHERE "Id" = e."TransactionId" OFFSET 0) t
                    WHERE e."Book" = 'CustomerCredits' AND t."ApiKeyId" IS NOT NULL AND t."Kind" IN ('Usage', 'PlatformFee')
                    GROUP BY t."ApiKeyId", (t."CreatedAt" AT TIME ZONE 'UTC')::date
                    ORDER BY 1, 2
                    ON CONFLICT ("ApiKeyId", "Day") DO UPDATE SET
                        "SpentNanos" = ledger_key_spending_days."SpentNanos" + EXCLUDED."SpentNanos";

                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The trigger as the LedgerReportTotals migration wrote it.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION ledger_add_to_running_totals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ledger_account_totals ("AccountId", "CreditsNanos", "UsageNanos", "PurchasedNanos",
                        "RefundedNanos", "AdjustedNanos", "PlatformRevenueNanos", "SearchPayableNanos", "TransactionCount")
                    SELECT COALESCE(e."AccountId", t."AccountId"),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" NOT IN ('Usage', 'PlatformFee')), 0),
                           COALESCE(-SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" IN ('Usage', 'PlatformFee')), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" = 'TopUp'), 0),
                           COALESCE(-SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" IN ('Refund', 'Chargeback')), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" = 'Adjustment'), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'PlatformRevenue'), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE e."Book" = 'SearchPayable'), 0),
                           0
                    FROM inserted_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                    WHERE e."Book" IN ('CustomerCredits', 'PlatformRevenue', 'SearchPayable')
                    GROUP BY 1
                    ORDER BY 1
                    ON CONFLICT ("AccountId") DO UPDATE SET
                        "CreditsNanos" = ledger_account_totals."CreditsNanos" + EXCLUDED."CreditsNanos",
                        "UsageNanos" = ledger_account_totals."UsageNanos" + EXCLUDED."UsageNanos",
                        "PurchasedNanos" = ledger_account_totals."PurchasedNanos" + EXCLUDED."PurchasedNanos",
                        "RefundedNanos" = ledger_account_totals."RefundedNanos" + EXCLUDED."RefundedNanos",
                        "AdjustedNanos" = ledger_account_totals."AdjustedNanos" + EXCLUDED."AdjustedNanos",
                        "PlatformRevenueNanos" = ledger_account_totals."PlatformRevenueNanos" + EXCLUDED."PlatformRevenueNanos",
                        "SearchPayableNanos" = ledger_account_totals."SearchPayableNanos" + EXCLUDED."SearchPayableNanos";

                    INSERT INTO ledger_key_totals ("ApiKeyId", "AccountId", "SpentNanos")
                    SELECT t."ApiKeyId", (array_agg(t."AccountId"))[1], -SUM(e."Amount")
                    FROM inserted_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                    WHERE e."Book" = 'CustomerCredits' AND t."ApiKeyId" IS NOT NULL AND t."Kind" IN ('Usage', 'PlatformFee')
                    GROUP BY t."ApiKeyId"
                    ORDER BY t."ApiKeyId"
                    ON CONFLICT ("ApiKeyId") DO UPDATE SET
                        "SpentNanos" = ledger_key_totals."SpentNanos" + EXCLUDED."SpentNanos";

                    INSERT INTO ledger_key_spending_days ("ApiKeyId", "Day", "AccountId", "SpentNanos")
                    SELECT t."ApiKeyId", (t."CreatedAt" AT TIME ZONE 'UTC')::date, (array_agg(t."AccountId"))[1], -SUM(e."Amount")
                    FROM inserted_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                    WHERE e."Book" = 'CustomerCredits' AND t."ApiKeyId" IS NOT NULL AND t."Kind" IN ('Usage', 'PlatformFee')
                    GROUP BY t."ApiKeyId", (t."CreatedAt" AT TIME ZONE 'UTC')::date
                    ORDER BY 1, 2
                    ON CONFLICT ("ApiKeyId", "Day") DO UPDATE SET
                        "SpentNanos" = ledger_key_spending_days."SpentNanos" + EXCLUDED."SpentNanos";

                    RETURN NULL;
                END $$;
                """);
        }
    }
}
