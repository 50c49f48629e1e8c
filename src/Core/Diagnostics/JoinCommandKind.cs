namespace KubeHa.Core.Diagnostics;

/// <summary>What a <c>kubeadm join</c> command adds to the cluster.</summary>
public enum JoinCommandKind
{
    /// <summary>A worker node.</summary>
    Worker,

    /// <summary>A control-plane node (<c>--control-plane</c>, formerly <c>--experimental-control-plane</c>).</summary>
    ControlPlane,
}
