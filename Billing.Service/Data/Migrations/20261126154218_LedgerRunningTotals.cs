using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Service.Data.Migrations
{
    /// <inheritdoc />
    public partial class LedgerRunningTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ledger_account_totals",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreditsNanos = table.Column<long>(type: "bigint", nullable: false),
                    UsageNanos = table.Column<long>(type: "bigint", nullable: false),
                    PurchasedNanos = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_account_totals", x => x.AccountId);
                    table.ForeignKey(
                        name: "FK_ledger_account_totals_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ledger_key_spending_days",
                columns: table => new
                {
                    ApiKeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    SpentNanos = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_key_spending_days", x => new { x.ApiKeyId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "ledger_key_totals",
                columns: table => new
                {
                    ApiKeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    SpentNanos = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_key_totals", x => x.ApiKeyId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ledger_key_spending_days_AccountId_Day",
                table: "ledger_key_spending_days",
                columns: new[] { "AccountId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_ledger_key_totals_AccountId",
                table: "ledger_key_totals",
                column: "AccountId");

            // Kinds and books are stored by name; 'Usage' and 'PlatformFee' are LedgerService's usage kinds.
            // The trigger fires once per INSERT or COPY into ledger_entries, in the posting's own transaction, and
            // adds the statement's customer-credit entries (joined to their transactions, which the foreign key says
            // exist by then) to the totals. Rows are upserted in account and key order, the order writers lock
            // accounts in; every writer already holds its accounts' row locks, so the upserts never wait on each other.
            migrationBuilder.Sql("""
                CREATE FUNCTION ledger_add_to_running_totals() RETURNS trigger LANGUAGE plpgsql AS $$
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

                -- No posting may commit between the backfill's snapshot and the trigger: it would be counted never or twice.
                LOCK TABLE ledger_transactions, ledger_entries IN SHARE MODE;

                CREATE TRIGGER ledger_entries_running_totals AFTER INSERT ON ledger_entries
                    REFERENCING NEW TABLE AS inserted_entries
                    FOR EACH STATEMENT EXECUTE FUNCTION ledger_add_to_running_totals();

                INSERT INTO ledger_account_totals ("AccountId", "CreditsNanos", "UsageNanos", "PurchasedNanos")
                SELECT e."AccountId",
                       COALESCE(SUM(e."Amount") FILTER (WHERE t."Kind" NOT IN ('Usage', 'PlatformFee')), 0),
                       COALESCE(-SUM(e."Amount") FILTER (WHERE t."Kind" IN ('Usage', 'PlatformFee')), 0),
                       COALESCE(SUM(e."Amount") FILTER (WHERE t."Kind" = 'TopUp'), 0)
                FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                WHERE e."Book" = 'CustomerCredits'
                GROUP BY e."AccountId";

                INSERT INTO ledger_key_totals ("ApiKeyId", "AccountId", "SpentNanos")
                SELECT t."ApiKeyId", (array_agg(t."AccountId"))[1], -SUM(e."Amount")
                FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                WHERE e."Book" = 'CustomerCredits' AND t."ApiKeyId" IS NOT NULL AND t."Kind" IN ('Usage', 'PlatformFee')
                GROUP BY t."ApiKeyId";

                INSERT INTO ledger_key_spending_days ("ApiKeyId", "Day", "AccountId", "SpentNanos")
                SELECT t."ApiKeyId", (t."CreatedAt" AT TIME ZONE 'UTC')::date, (array_agg(t."AccountId"))[1], -SUM(e."Amount")
                FROM ledger_entries e JOIN ledger_transactions t ON t."Id" = e."TransactionId"
                WHERE e."Book" = 'CustomerCredits' AND t."ApiKeyId" IS NOT NULL AND t."Kind" IN ('Usage', 'PlatformFee')
                GROUP BY t."ApiKeyId", (t."CreatedAt" AT TIME ZONE 'UTC')::date;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS ledger_entries_running_totals ON ledger_entries;
                DROP FUNCTION IF EXISTS ledger_add_to_running_totals();
                """);

            migrationBuilder.DropTable(
                name: "ledger_account_totals");

            migrationBuilder.DropTable(
                name: "ledger_key_spending_days");

            migrationBuilder.DropTable(
                name: "ledger_key_totals");
        }
    }
}
