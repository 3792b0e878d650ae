using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Billing.Service.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddGenerations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "generations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    ApiKeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProviderSlug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProviderName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    EndpointId = table.Column<int>(type: "integer", nullable: false),
                    UpstreamId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    PromptTokens = table.Column<int>(type: "integer", nullable: false),
                    CompletionTokens = table.Column<int>(type: "integer", nullable: false),
                    CachedTokens = table.Column<int>(type: "integer", nullable: false),
                    CacheWriteTokens = table.Column<int>(type: "integer", nullable: false),
                    ReasoningTokens = table.Column<int>(type: "integer", nullable: false),
                    CostNanos = table.Column<long>(type: "bigint", nullable: false),
                    UpstreamCostNanos = table.Column<long>(type: "bigint", nullable: false),
                    IsByok = table.Column<bool>(type: "boolean", nullable: false),
                    Streamed = table.Column<bool>(type: "boolean", nullable: false),
                    Cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    FinishReason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    NativeFinishReason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LatencyMs = table.Column<int>(type: "integer", nullable: false),
                    TimeToFirstTokenMs = table.Column<int>(type: "integer", nullable: true),
                    GenerationTimeMs = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedDay = table.Column<DateOnly>(type: "date", nullable: false),
                    AppReferer = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    AppTitle = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_generations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_generations_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_generations_AccountId_CreatedAt",
                table: "generations",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_generations_AccountId_CreatedDay",
                table: "generations",
                columns: new[] { "AccountId", "CreatedDay" });

            migrationBuilder.CreateIndex(
                name: "IX_generations_ApiKeyId_CreatedAt",
                table: "generations",
                columns: new[] { "ApiKeyId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "generations");
        }
    }
}
