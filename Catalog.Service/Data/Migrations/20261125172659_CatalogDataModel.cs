using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Catalog.Service.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogDataModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DataRetentionDays",
                table: "providers",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "Datacenters",
                table: "providers",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.AddColumn<string>(
                name: "Headquarters",
                table: "providers",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PrivacyPolicyUrl",
                table: "providers",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "providers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Operational");

            migrationBuilder.AddColumn<string>(
                name: "StatusPageUrl",
                table: "providers",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TermsOfServiceUrl",
                table: "providers",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TrainsOnData",
                table: "providers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ZeroDataRetention",
                table: "providers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "CanonicalSlug",
                table: "models",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string[]>(
                name: "Categories",
                table: "models",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.AddColumn<string>(
                name: "HuggingFaceId",
                table: "models",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsEnabled",
                table: "models",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<decimal>(
                name: "Discount",
                table: "model_endpoints",
                type: "numeric(5,4)",
                precision: 5,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "ImagePrice",
                table: "model_endpoints",
                type: "numeric(20,12)",
                precision: 20,
                scale: 12,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "InputCacheReadPrice",
                table: "model_endpoints",
                type: "numeric(20,12)",
                precision: 20,
                scale: 12,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "InputCacheWritePrice",
                table: "model_endpoints",
                type: "numeric(20,12)",
                precision: 20,
                scale: 12,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "InternalReasoningPrice",
                table: "model_endpoints",
                type: "numeric(20,12)",
                precision: 20,
                scale: 12,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<int>(
                name: "MaxPromptTokens",
                table: "model_endpoints",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "model_endpoints",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Operational");

            migrationBuilder.AddColumn<bool>(
                name: "SupportsImplicitCaching",
                table: "model_endpoints",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "catalog_changes",
                columns: table => new
                {
                    Version = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    EntityType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EntityId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Summary = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_changes", x => x.Version);
                });

            migrationBuilder.CreateTable(
                name: "model_endpoint_stats",
                columns: table => new
                {
                    EndpointId = table.Column<int>(type: "integer", nullable: false),
                    LatencyP50Last30m = table.Column<double>(type: "double precision", nullable: true),
                    LatencyP75Last30m = table.Column<double>(type: "double precision", nullable: true),
                    LatencyP90Last30m = table.Column<double>(type: "double precision", nullable: true),
                    LatencyP99Last30m = table.Column<double>(type: "double precision", nullable: true),
                    ThroughputP50Last30m = table.Column<double>(type: "double precision", nullable: true),
                    ThroughputP75Last30m = table.Column<double>(type: "double precision", nullable: true),
                    ThroughputP90Last30m = table.Column<double>(type: "double precision", nullable: true),
                    ThroughputP99Last30m = table.Column<double>(type: "double precision", nullable: true),
                    UptimeLast30m = table.Column<double>(type: "double precision", nullable: true),
                    UptimeLast1d = table.Column<double>(type: "double precision", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_endpoint_stats", x => x.EndpointId);
                    table.ForeignKey(
                        name: "FK_model_endpoint_stats_model_endpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "model_endpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_changes_ChangedAt",
                table: "catalog_changes",
                column: "ChangedAt");

            // Models from before this migration are their own permaslug.
            migrationBuilder.Sql("""UPDATE models SET "CanonicalSlug" = "Id" WHERE "CanonicalSlug" = '';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_changes");

            migrationBuilder.DropTable(
                name: "model_endpoint_stats");

            migrationBuilder.DropColumn(
                name: "DataRetentionDays",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "Datacenters",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "Headquarters",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "PrivacyPolicyUrl",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "StatusPageUrl",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "TermsOfServiceUrl",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "TrainsOnData",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "ZeroDataRetention",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "CanonicalSlug",
                table: "models");

            migrationBuilder.DropColumn(
                name: "Categories",
                table: "models");

            migrationBuilder.DropColumn(
                name: "HuggingFaceId",
                table: "models");

            migrationBuilder.DropColumn(
                name: "IsEnabled",
                table: "models");

            migrationBuilder.DropColumn(
                name: "Discount",
                table: "model_endpoints");

            migrationBuilder.DropColumn(
                name: "ImagePrice",
                table: "model_endpoints");

            migrationBuilder.DropColumn(
                name: "InputCacheReadPrice",
                table: "model_endpoints");

            migrationBuilder.DropColumn(
                name: "InputCacheWritePrice",
                table: "model_endpoints");

            migrationBuilder.DropColumn(
                name: "InternalReasoningPrice",
                table: "model_endpoints");

            migrationBuilder.DropColumn(
                name: "MaxPromptTokens",
                table: "model_endpoints");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "model_endpoints");

            migrationBuilder.DropColumn(
                name: "SupportsImplicitCaching",
                table: "model_endpoints");
        }
    }
}
