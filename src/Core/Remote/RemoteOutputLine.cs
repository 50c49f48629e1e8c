namespace KubeHa.Core.Remote;

/// <summary>Which stream a line of remote output came from.</summary>
public enum RemoteStream
{
    Stdout = 0,
    Stderr = 1,
}

/// <summary>One line of remote output, secrets masked, as it arrives.</summary>
public sealed record RemoteOutputLine(RemoteStream Stream, string Text);
