using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KubeHa.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProvisioningEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CancelRequestedAt",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetHostIds",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "BootstrapTokenExpiresAt",
                table: "Clusters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CaCertHash",
                table: "Clusters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CertificatesUploadedAt",
                table: "Clusters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedBootstrapToken",
                table: "Clusters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedCertificateKey",
                table: "Clusters",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancelRequestedAt",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "TargetHostIds",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "BootstrapTokenExpiresAt",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "CaCertHash",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "CertificatesUploadedAt",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "ProtectedBootstrapToken",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "ProtectedCertificateKey",
                table: "Clusters");
        }
    }
}
