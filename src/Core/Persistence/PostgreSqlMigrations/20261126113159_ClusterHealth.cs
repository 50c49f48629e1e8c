using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KubeHa.Core.Persistence.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class ClusterHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HealthCheckedAt",
                table: "Clusters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HealthReasons",
                table: "Clusters",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HealthCheckedAt",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "HealthReasons",
                table: "Clusters");
        }
    }
}
