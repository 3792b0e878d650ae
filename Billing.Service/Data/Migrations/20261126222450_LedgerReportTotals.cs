using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Service.Data.Migrations
{
    /// <inheritdoc />
    public partial class LedgerReportTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AdjustedNanos",
                table: "ledger_account_totals",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "PlatformRevenueNanos",
                table: "ledger_account_totals",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "RefundedNanos",
                table: "ledger_account_totals",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "SearchPayableNanos",
                table: "ledger_account_totals",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "TransactionCount",
                table: "ledger_account_totals",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // The entries trigger now also keeps refunds, adjustments and the platform books per account (the platform
            // books' entries carry no account: their transaction's). A second trigger counts each account's
            // transactions. Both upsert in account order into rows of accounts the writer has already locked.
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

                CREATE FUNCTION ledger_count_transactions() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ledger_account_totals ("AccountId", "CreditsNanos", "UsageNanos", "PurchasedNanos",
                        "RefundedNanos", "AdjustedNanos", "PlatformRevenueNanos", "SearchPayableNanos", "TransactionCount")
                    SELECT "AccountId", 0, 0, 0, 0, 0, 0, 0, COUNT(*)
                    FROM inserted_transactions
                    GROUP BY "AccountId"
                    ORDER BY "AccountId"
                    ON CONFLICT ("AccountId") DO UPDATE SET
                        "TransactionCount" = ledger_account_totals."TransactionCount" + EXCLUDED."TransactionCount";
                    RETURN NULL;
                END $$;

                -- As before: no posting may commit between the backfill's snapshot and the new triggers.
                LOCK TABLE ledger_transactions, ledger_entries IN SHARE MODE;

                CREATE TRIGGER ledger_transactions_count AFTER INSERT ON ledger_transactions
                    REFERENCING NEW TABLE AS inserted_transactions
                    FOR EACH STATEMENT EXECUTE FUNCTION ledger_count_transactions();

                INSERT INTO ledger_account_totals ("AccountId", "CreditsNanos", "UsageNanos", "PurchasedNanos",
                    "RefundedNanos", "AdjustedNanos", "PlatformRevenueNanos", "SearchPayableNanos", "TransactionCount")
                SELECT a."Id", 0, 0, 0,
                       COALESCE(books."Refunded", 0), COALESCE(books."Adjusted", 0), COALESCE(books."Revenue", 0), COALESCE(books."Search", 0),
                       COALESCE(counts."Transactions", 0)
                FROM accounts a
                LEFT JOIN (
                    SELECT COALESCE(e."AccountId", t."AccountId") AS "AccountId",
                           -SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" IN ('Refund', 'Chargeback')) AS "Refunded",
                           SUM(e."Amount") FILTER (WHERE e."Book" = 'CustomerCredits' AND t."Kind" = 'Adjustment') AS "Adjusted",
                           SUM(e."Amount") FILTER (WHERE e."Book" = 'PlatformRevenue') AS "Revenue",
                           SUM(e."Amount") FILTER (WHERE e."Book" = 'SearchPayable') AS "Search"
                    FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                    WHERE e."Book" IN ('CustomerCredits', 'PlatformRevenue', 'SearchPayable')
                    GROUP BY 1) books ON books."AccountId" = a."Id"
                LEFT JOIN (
                    SELECT "AccountId", COUNT(*) AS "Transactions" FROM ledger_transactions GROUP BY 1) counts ON counts."AccountId" = a."Id"
                WHERE books."AccountId" IS NOT NULL OR counts."AccountId" IS NOT NULL
                ON CONFLICT ("AccountId") DO UPDATE SET
                    "RefundedNanos" = EXCLUDED."RefundedNanos",
                    "AdjustedNanos" = EXCLUDED."AdjustedNanos",
                    "PlatformRevenueNanos" = EXCLUDED."PlatformRevenueNanos",
                    "SearchPayableNanos" = EXCLUDED."SearchPayableNanos",
                    "TransactionCount" = EXCLUDED."TransactionCount";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The entries trigger as the LedgerRunningTotals migration wrote it.
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS ledger_transactions_count ON ledger_transactions;
                DROP FUNCTION IF EXISTS ledger_count_transactions();
                CREATE OR REPLACE FUNCTION ledger_add_to_running_totals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO ledger_account_totals ("AccountId", "CreditsNanos", "UsageNanos", "PurchasedNanos")
                    SELECT e."AccountId",
                           COALESCE(SUM(e."Amount") FILTER (WHERE t."Kind" NOT IN ('Usage', 'PlatformFee')), 0),
                           COALESCE(-SUM(e."Amount") FILTER (WHERE t."Kind" IN ('Usage', 'PlatformFee')), 0),
                           COALESCE(SUM(e."Amount") FILTER (WHERE t."Kind" = 'TopUp'), 0)
                    FROM inserted_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                    WHERE e."Book" = 'CustomerCredits'
                    GROUP BY e."AccountId"
                    ORDER BY e."AccountId"
                    ON CONFLICT ("AccountId") DO UPDATE SET
                        "CreditsNanos" = ledger_account_totals."CreditsNanos" + EXCLUDED."CreditsNanos",
                        "UsageNanos" = ledger_account_totals."UsageNanos" + EXCLUDED."UsageNanos",
                        "PurchasedNanos" = ledger_account_totals."PurchasedNanos" + EXCLUDED."PurchasedNanos";

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

            migrationBuilder.DropColumn(
                name: "AdjustedNanos",
                table: "ledger_account_totals");

            migrationBuilder.DropColumn(
                name: "PlatformRevenueNanos",
                table: "ledger_account_totals");

            migrationBuilder.DropColumn(
                name: "RefundedNanos",
                table: "ledger_account_totals");

            migrationBuilder.DropColumn(
                name: "SearchPayableNanos",
                table: "ledger_account_totals");

            migrationBuilder.DropColumn(
                name: "TransactionCount",
                table: "ledger_account_totals");
        }
    }
}
