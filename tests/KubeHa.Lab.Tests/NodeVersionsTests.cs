namespace KubeHa.Lab.Tests;

/// <summary>Each kubelet reports the version of its own package, each apiserver the tag of its manifest's image.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class NodeVersionsTests(LabFixture lab)
{
    private const string Kubectl = "sudo kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s";

    private Task<bool> NodeVersionAsync(string node, string version) => LabFixture.EventuallyAsync(() => Task.FromResult(
        lab.Ssh("node1", $"{Kubectl} get node {node} -o jsonpath='{{.status.nodeInfo.kubeletVersion}}'").Out.Trim() == version), TimeSpan.FromSeconds(20));

    [Fact]
    public async Task KubeletDowngradedOnOneNode_GetNodesShowsItsVersionAfterKubeletRestart()
    {
        const string install = "sudo apt-mark unhold kubelet >/dev/null && sudo apt-get install -y --allow-downgrades kubelet={0} >/dev/null && sudo apt-mark hold kubelet >/dev/null";
        try
        {
            Assert.True(lab.Ssh("node6", string.Format(System.Globalization.CultureInfo.InvariantCulture, install, "1.30.2-1.1")).Exit == 0);
            // The running kubelet keeps reporting the version it started with.
            Assert.True(await NodeVersionAsync("node6", "v1.30.4"));
            Assert.Equal(0, lab.Ssh("node6", "sudo systemctl restart kubelet").Exit);
            Assert.True(await NodeVersionAsync("node6", "v1.30.2"));
            var table = lab.Ssh("node1", $"{Kubectl} get nodes").Out;
            Assert.Matches(@"\nnode6\s+\S+\s+\S+\s+\S+\s+v1\.30\.2", table);
            Assert.Matches(@"\nnode1\s+\S+\s+control-plane\s+\S+\s+v1\.30\.4", table);
            // The apiserver's version is its image tag.
            Assert.Matches("\"gitVersion\":\\s*\"v1\\.30\\.4\"", lab.Ssh("node1", $"{Kubectl} get --raw /version").Out);
        }
        finally
        {
            lab.Ssh("node6", string.Format(System.Globalization.CultureInfo.InvariantCulture, install, "1.30.4-1.1") + " && sudo systemctl restart kubelet");
        }
        Assert.True(await NodeVersionAsync("node6", "v1.30.4"));
    }
}
