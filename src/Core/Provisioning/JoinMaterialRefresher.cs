using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning.Rendering;
using KubeHa.Core.Provisioning.Steps;

namespace KubeHa.Core.Provisioning;

/// <summary>
/// Keeps the join material usable for the joins of this run: a new bootstrap token when the stored one expired, a
/// fresh certificate key (certificates re-uploaded) when the last upload is older than kubeadm's two hours, the CA hash
/// read from the CA when unknown. Each new secret is saved encrypted and masked before it is used on any host.
/// </summary>
public static class JoinMaterialRefresher
{
    public const string InitConfigPath = "/etc/kubernetes/kubeha/kubeadm-init.yaml";

    /// <summary>Where a new bootstrap token waits for `kubeadm token create --config` (deleted right after).</summary>
    public const string TokenConfigPath = "/etc/kubernetes/kubeha/kubeadm-token.yaml";
    public const string CaPath = KubeadmPaths.CaCert;
    public const string DryRunCaHash = "sha256:<hash of /etc/kubernetes/pki/ca.crt>";

    public static async Task<JoinMaterial> EnsureTokenAsync(PlanContext context, CancellationToken cancellationToken) =>
        await context.UpdateJoinAsync(async (join, ct) =>
        {
            var now = context.Time.GetUtcNow();
            if (join.TokenValidAt(now))
            {
                return join;
            }

            var next = join with { BootstrapToken = JoinSecrets.NewBootstrapToken(), TokenExpiresAt = now.AddHours(context.Spec.BootstrapTokenTtlHours) };
            var admin = await AdminSessionAsync(context, ct);
            admin.AddKnownSecrets([next.BootstrapToken!]);
            await context.SaveJoinNowAsync(next, ct);
            admin.Note("the bootstrap token expired: creating a new one");
            await admin.UploadAsync(TokenConfigPath, KubeadmConfigRenderer.RenderTokenConfig(context.Spec, next.BootstrapToken!), "600", ct);
            try
            {
                await admin.RunAsync($"kubeadm token create --config {TokenConfigPath} --kubeconfig {KubeadmPaths.AdminConf}", ct);
            }
            finally
            {
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await admin.TryRunAsync($"rm -f {TokenConfigPath}", bounded.Token); // the token must not stay on the host
            }

            return next;
        }, cancellationToken);

    public static async Task<JoinMaterial> EnsureCertificateKeyAsync(PlanContext context, CancellationToken cancellationToken) =>
        await context.UpdateJoinAsync(async (join, ct) =>
        {
            var now = context.Time.GetUtcNow();
            if (join.CertificateKeyValidAt(now))
            {
                return join;
            }

            var next = join with { CertificateKey = JoinSecrets.NewCertificateKey(), CertificatesUploadedAt = now };
            var admin = await AdminSessionAsync(context, ct);
            admin.AddKnownSecrets([next.CertificateKey!]);
            await context.SaveJoinNowAsync(next, ct);
            admin.Note("the uploaded control-plane certificates expired: uploading them again with a new certificate key");
            await admin.UploadAsync(InitConfigPath, InitFirstControlPlaneStep.RenderInitConfig(context, admin.Host, next), "600", ct);
            try
            {
                await admin.RunAsync($"kubeadm init phase upload-certs --upload-certs --config {InitConfigPath}", ct);
            }
            finally
            {
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await admin.TryRunAsync($"rm -f {InitConfigPath}", bounded.Token); // the certificate key must not stay on the host
            }

            return next;
        }, cancellationToken);

    public static async Task<JoinMaterial> EnsureCaHashAsync(PlanContext context, CancellationToken cancellationToken) =>
        await context.UpdateJoinAsync(async (join, ct) =>
        {
            if (join.CaCertHash is not null)
            {
                return join;
            }

            var admin = await AdminSessionAsync(context, ct);
            var pem = await admin.ReadFileAsync(CaPath, ct);
            if (pem is null)
            {
                return admin.IsDryRun ? join with { CaCertHash = DryRunCaHash } : throw new StepFailedException(admin.Host.Name, $"read {CaPath}", null, string.Empty, $"{CaPath} is missing on {admin.Host.Name}: the cluster CA is needed to join.");
            }

            return join with { CaCertHash = CaCertHash.Compute(pem) };
        }, cancellationToken);

    private static Task<HostSession> AdminSessionAsync(PlanContext context, CancellationToken cancellationToken) =>
        context.SessionAsync(context.InitHost ?? throw new InvalidOperationException("The cluster has no control plane."), cancellationToken);
}
