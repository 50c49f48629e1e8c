using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KubeHa.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ClusterHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "HealthCheckedAt",
                table: "Clusters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HealthReasons",
                table: "Clusters",
                type: "TEXT",
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
