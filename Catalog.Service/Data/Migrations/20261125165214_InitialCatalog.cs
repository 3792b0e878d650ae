using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Catalog.Service.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCatalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "models",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ContextLength = table.Column<int>(type: "integer", nullable: false),
                    InputModalities = table.Column<string[]>(type: "text[]", nullable: false),
                    OutputModalities = table.Column<string[]>(type: "text[]", nullable: false),
                    Tokenizer = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    InstructType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_models", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "providers",
                columns: table => new
                {
                    Slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    BaseUrl = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    WireFormat = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    IsEnabled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_providers", x => x.Slug);
                });

            migrationBuilder.CreateTable(
                name: "model_endpoints",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ModelId = table.Column<string>(type: "character varying(128)", nullable: false),
                    ProviderSlug = table.Column<string>(type: "character varying(64)", nullable: false),
                    UpstreamModelName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ContextLength = table.Column<int>(type: "integer", nullable: false),
                    MaxCompletionTokens = table.Column<int>(type: "integer", nullable: true),
                    Quantization = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PromptPrice = table.Column<decimal>(type: "numeric(20,12)", precision: 20, scale: 12, nullable: false),
                    CompletionPrice = table.Column<decimal>(type: "numeric(20,12)", precision: 20, scale: 12, nullable: false),
                    RequestPrice = table.Column<decimal>(type: "numeric(20,12)", precision: 20, scale: 12, nullable: false),
                    SupportedParameters = table.Column<string[]>(type: "text[]", nullable: false),
                    IsModerated = table.Column<bool>(type: "boolean", nullable: false),
                    IsEnabled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_endpoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_model_endpoints_models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_model_endpoints_providers_ProviderSlug",
                        column: x => x.ProviderSlug,
                        principalTable: "providers",
                        principalColumn: "Slug",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_model_endpoints_ModelId_ProviderSlug",
                table: "model_endpoints",
                columns: new[] { "ModelId", "ProviderSlug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_model_endpoints_ProviderSlug",
                table: "model_endpoints",
                column: "ProviderSlug");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "model_endpoints");

            migrationBuilder.DropTable(
                name: "models");

            migrationBuilder.DropTable(
                name: "providers");
        }
    }
}
