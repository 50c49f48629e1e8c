using KubeHa.Core.Kubernetes;
using KubeHa.Core.Remote;

namespace KubeHa.Core.Provisioning;

/// <summary>
/// Completion markers on the hosts themselves. kubeadm init and join write admin.conf and kubelet.conf early, so those
/// files cannot tell a finished init or join from one whose process was killed half-way. A step that
/// <see cref="Steps.Step.MarksCompletion"/> therefore records "done" on the host right after its command succeeded
/// (<c>/var/lib/kubeha/clusters/ID/KEY.done</c>); the provisioning state (<see cref="NodeStateScript"/>) gathers the
/// markers at every attempt, and kubeadm reset removes them with the rest of the cluster's files.
/// A marker counts only next to the kubelet.conf every marking step (init, join) leaves: a marker without it is stale
/// (a reset done by hand, or an earlier cluster with the same id — another panel, a database started afresh) and
/// never skips a step.
/// </summary>
public static class StepMarkers
{
    public const string Root = "/var/lib/kubeha/clusters";

    public static string Directory(int clusterId) => $"{Root}/{clusterId}";

    public static string Path(int clusterId, string stepKey) => $"{Root}/{clusterId}/{stepKey}.done";

    /// <summary>How <see cref="NodeStateScript"/> reports a marker ("done=ID/KEY") and <see cref="NodeState.CompletedSteps"/> holds it.</summary>
    public static string Fact(int clusterId, string stepKey) => $"{clusterId}/{stepKey}";

    public static ShellScript Write(int clusterId, string stepKey) => $"mkdir -p {Directory(clusterId)} && touch {Path(clusterId, stepKey)}";

    /// <summary>Exit 0 when the marker and kubelet.conf exist (asked live, after a broken connection, when facts are stale).</summary>
    public static ShellScript Exists(int clusterId, string stepKey) => $"test -e {Path(clusterId, stepKey)} && test -e {KubeadmPaths.KubeletConf}";

    public static ShellScript Remove(int clusterId) => $"rm -rf {Directory(clusterId)}";

    /// <summary>The state script's lines: one "done=ID/KEY" per marker on the host.</summary>
    public static ShellScript ListScript => $$"""
        for f in {{Root}}/*/*.done; do [ -e "$f" ] || continue; d=${f%/*}; k=${f##*/}; echo "done=${d##*/}/${k%.done}"; done
        """;
}
