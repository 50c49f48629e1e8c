using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeHa.Lab.Sim;

/// <summary>
/// The apiserver's serving certificate as read at start, presented on the machine's clock (<see cref="Pki.OnMachineClock"/>)
/// so real TLS clients see it expire when the lab clock passes its notAfter.
/// </summary>
internal sealed class ServingCertificate
{
    private readonly X509Certificate2 cert;
    private readonly X509Certificate2 ca;
    private readonly RSA caKey;
    private readonly Lock gate = new();
    private TimeSpan offset = TimeSpan.Zero;
    private X509Certificate2 current;

    public ServingCertificate(string pki)
    {
        cert = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "apiserver.crt"), Path.Combine(pki, "apiserver.key"));
        ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "ca.crt")));
        caKey = RSA.Create();
        caKey.ImportFromPem(File.ReadAllText(Path.Combine(pki, "ca.key")));
        current = cert;
    }

    public X509Certificate2 Current
    {
        get
        {
            var labOffset = LabEnv.ClockOffset;
            lock (gate)
            {
                if (labOffset != offset)
                {
                    current = labOffset == TimeSpan.Zero ? cert : Pki.OnMachineClock(cert, ca, caKey, labOffset);
                    offset = labOffset;
                }

                return current;
            }
        }
    }
}
