using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KubeHa.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AgentsAndZones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Zone",
                table: "Clusters",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Agents",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Machine = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Queues = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StoppedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Agents", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Status_ClaimedBy",
                table: "Runs",
                columns: new[] { "Status", "ClaimedBy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Agents");

            migrationBuilder.DropIndex(
                name: "IX_Runs_Status_ClaimedBy",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Zone",
                table: "Clusters");
        }
    }
}
