using KubeHa.Core.Clusters;
using KubeHa.Core.Hosts.Import;

namespace KubeHa.Core.Tests.Hosts;

public sealed class HostImportParserTests
{
    [Fact]
    public void Parse_KubesprayIni_ReadsHostVarsAndSuggestsRolesFromGroups()
    {
        const string ini = """
            [all]
            node1 ansible_host=10.77.0.11 ansible_user=kubeha  # first control plane
            node2 ansible_host=10.77.0.12 ansible_port=2222
            node4 ansible_host="10.77.0.14"

            [all:vars]
            ansible_user=ops

            [kube_control_plane]
            node1
            node2

            [etcd]
            node1
            node2

            [kube_node]
            node4

            [k8s_cluster:children]
            kube_control_plane
            kube_node
            """;

        var parse = HostImportParser.Parse(ini);

        Assert.Equal(HostImportFormat.AnsibleIni, parse.Format);
        Assert.Empty(parse.Errors);
        Assert.Equal(
            [("node1", "10.77.0.11", 22, "kubeha"), ("node2", "10.77.0.12", 2222, "ops"), ("node4", "10.77.0.14", 22, "ops")],
            parse.Hosts.Select(h => (h.Name, h.Address, h.Port, h.Username)));
        Assert.Equal([NodeRole.ControlPlane, NodeRole.Etcd], parse.Hosts[0].SuggestedRoles);
        Assert.Equal([NodeRole.Worker], parse.Hosts[2].SuggestedRoles);
        Assert.Contains("k8s_cluster", parse.Hosts[2].Groups);
    }

    [Fact]
    public void Parse_AnsibleYaml_ReadsNestedChildren()
    {
        const string yaml = """
            all:
              vars:
                ansible_user: kubeha
              hosts:
                lb1:
                  ansible_host: 10.77.0.15
              children:
                kube_control_plane:
                  hosts:
                    node1:
                      ansible_host: 10.77.0.11
                      ansible_port: 22
                loadbalancer:
                  hosts:
                    lb1:
            """;

        var parse = HostImportParser.Parse(yaml);

        Assert.Equal(HostImportFormat.AnsibleYaml, parse.Format);
        Assert.Empty(parse.Errors);
        Assert.Equal([("lb1", "10.77.0.15", "kubeha"), ("node1", "10.77.0.11", "kubeha")], parse.Hosts.Select(h => (h.Name, h.Address, h.Username)));
        Assert.Equal([NodeRole.LoadBalancer], parse.Hosts[0].SuggestedRoles);
        Assert.Equal([NodeRole.ControlPlane], parse.Hosts[1].SuggestedRoles);
    }

    [Fact]
    public void Parse_Csv_ReadsColumnsByHeader()
    {
        var parse = HostImportParser.Parse("name,address,port,user,roles\ncp1,10.0.0.1,22,root,control-plane etcd\nw1,10.0.0.2,,,worker\n");

        Assert.Equal(HostImportFormat.Csv, parse.Format);
        Assert.Equal([("cp1", "10.0.0.1", 22, "root"), ("w1", "10.0.0.2", 22, null)], parse.Hosts.Select(h => (h.Name, h.Address, h.Port, h.Username)));
        Assert.Equal([NodeRole.ControlPlane, NodeRole.Etcd], parse.Hosts[0].SuggestedRoles);
    }

    [Fact]
    public void Parse_LabInventoryJson_ReadsNameIpPortUser()
    {
        const string json = """
            {
              "bridge": "khlab0",
              "hosts": [
                {"name": "node1", "ip": "10.77.0.11", "sshPort": 22, "user": "kubeha", "privateKeyPath": "/var/lib/kubeha-lab/keys/id_ed25519"},
                {"name": "node2", "ip": "10.77.0.12", "sshPort": 22, "user": "kubeha"}
              ]
            }
            """;

        var parse = HostImportParser.Parse(json);

        Assert.Equal(HostImportFormat.LabJson, parse.Format);
        Assert.Equal([("node1", "10.77.0.11", 22, "kubeha"), ("node2", "10.77.0.12", 22, "kubeha")], parse.Hosts.Select(h => (h.Name, h.Address, h.Port, h.Username)));
    }

    [Theory]
    [InlineData("[all]\nnode[1:3] ansible_host=10.0.0.1", "host ranges such as 'node[1:3]'")]
    [InlineData("[all]\nnode1 ansible_port=ssh", "ansible_port 'ssh' is not a number")]
    [InlineData("{\"nodes\": []}", "no \"hosts\" array")]
    [InlineData("", "No hosts found")]
    public void Parse_Unreadable_SaysWhat(string text, string message)
        => Assert.Contains(HostImportParser.Parse(text).Errors, e => e.Contains(message, StringComparison.Ordinal));
}
