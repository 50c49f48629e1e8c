using KubeHa.Core.Remote;

namespace KubeHa.Core.Hosts;

/// <summary>Gathers <see cref="HostFacts"/> over an open session: one sudo probe (cached by the session), one script.</summary>
public static class HostFactsGatherer
{
    public static async Task<HostFacts> GatherAsync(SshSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var sudo = await session.EnsureSudoAsync(cancellationToken);
        var result = await session.RunAsRootAsync(HostFactsScript.Text, onLine: null, cancellationToken);
        if (!result.Succeeded)
        {
            throw new RemoteCommandFailedException(session.Target, "gather facts", result);
        }

        HostFacts facts;
        try
        {
            facts = HostFactsParser.Parse(result.Output, passwordlessSudo: sudo != SudoMode.WithPassword, time.GetUtcNow());
        }
        catch (FormatException ex)
        {
            throw new HostCheckException(Hosts.HostCheckErrorKind.CommandFailed, session.Target.HostPort, session.Target.Username,
                $"The facts script on {session.Target.HostPort} produced incomplete output.", ex);
        }

        // The hostname becomes the node name in scripts and configs on other hosts: refuse it here, at the boundary.
        if (!NodeNames.TryFromHostname(facts.Hostname, out _, out var error))
        {
            throw new HostCheckException(HostCheckErrorKind.InvalidFacts, session.Target.HostPort, session.Target.Username, error);
        }

        return facts;
    }
}
