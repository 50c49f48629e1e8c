using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using KubeHa.Core.Clusters;
using KubeHa.Core.Clusters.Health;
using KubeHa.Core.Hosts;
using KubeHa.Core.Kubernetes;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Provisioning.Plans;
using KubeHa.Core.Remote;
using KubeHa.Core.Runs;
using KubeHa.Core.Tests.Provisioning;
using static KubeHa.Core.Tests.Clusters.Topologies;

namespace KubeHa.Core.Tests.Security;

/// <summary>
/// Issue 14's "Done when": hostile values (shell metacharacters, newlines, quotes, % scope ids, octal and hex
/// addresses, unicode line separators) in every host, cluster-spec and fact field that can reach a host. For each:
/// (1) the boundary refuses it with a message on that field (host rules, spec validator, node names, the facts
/// parser); and (2) forced past the boundary, as stale data or a bug would, every plan (create on three topologies,
/// add-nodes, reset of joined hosts) runs its real steps against scripted hosts; each step either refuses the value
/// or carries it as data: every script parses in dash, runs in dash (stub commands, see <see cref="ShellWitness"/>)
/// without the payload command ever running, and no value reaches a daemon's config file except as a quoted YAML
/// scalar. Credentials never reach a script at all (sudo's password goes on stdin: SshConnectorTests).
/// </summary>
public sealed partial class HostileValuesEndToEndTests : IClassFixture<HostileValuesEndToEndTests.Witness>
{
    private const string Cmd = ShellWitness.Marker;

    private static readonly string[] Payloads =
    [
        $"x;{Cmd};#",
        $"$({Cmd})",
        $"`{Cmd}`",
        $"x\n{Cmd}\n",
        $"x\r{Cmd}",
        $"x'; {Cmd}; '",
        $"x\"; {Cmd}; \"",
        $"x\\';{Cmd};#",
        $"x|{Cmd}",
        $"x&&{Cmd}",
        $"fe80::1%$({Cmd})",
        $"10.0.0.1\u2028{Cmd}: x",
        $"ѕ{Cmd}",
    ];

    private readonly Witness _witness;

    public HostileValuesEndToEndTests(Witness witness) => _witness = witness;

    public sealed class Witness : IDisposable
    {
        public ShellWitness Shell { get; } = new();

        /// <summary>Scripts already witnessed (the same script text recurs across plans and hosts).</summary>
        public ConcurrentDictionary<string, bool> Seen { get; } = new(StringComparer.Ordinal);

        public void Dispose() => Shell.Dispose();
    }

    /// <summary>Where a hostile value can enter, and how the boundary refuses it (null: the field never reaches a host).</summary>
    public sealed record Field(string Name, Func<Scenario, string, Scenario> Inject, Func<string, string?>? Boundary);

    public sealed record Scenario(ClusterSpec Spec, List<ClusterMember> Members, string? ReportedHostname = null, string? ReportedInterface = null, string? ReportedOs = null);

    private static readonly Field[] Fields =
    [
        new("host name (inventory, display only)", (s, v) => s with { Members = Replace(s.Members, 2, m => m with { Name = v }) }, null),
        new("host address", (s, v) => s with { Members = Replace(Replace(s.Members, 1, m => m with { Address = v }), 2, m => m with { Address = v }) }, HostInputRules.CheckAddress),
        new("hostname fact (stored and reported)", (s, v) => s with { Members = Replace(s.Members, 2, m => m with { Facts = m.Facts! with { Hostname = v } }), ReportedHostname = v },
            v => NodeNames.TryFromHostname(v, out _, out var e) ? null : e),
        new("interface name fact", (s, v) => s with { ReportedInterface = v }, v => ConfigValuesRefuse(v)),
        new("os-release fact (display only)", (s, v) => s with { ReportedOs = v.Replace("\"", "", StringComparison.Ordinal) }, null),
        new("spec.controlPlaneEndpointHost", (s, v) => s with { Spec = s.Spec with { ControlPlaneEndpointHost = v } }, v => SpecError(s => s with { ControlPlaneEndpointHost = v }, "controlPlaneEndpointHost")),
        new("spec.virtualIp", (s, v) => s with { Spec = s.Spec with { VirtualIp = v } }, v => SpecError(s => s with { VirtualIp = v }, "virtualIp")),
        new("spec.apiServerCertSans", (s, v) => s with { Spec = s.Spec with { ApiServerCertSans = ["api.example.com", v] } }, v => SpecError(s => s with { ApiServerCertSans = [v] }, "apiServerCertSans")),
        new("spec.podSubnet", (s, v) => s with { Spec = s.Spec with { PodSubnet = "10.244.0.0/16" + v } }, v => SpecError(s => s with { PodSubnet = "10.244.0.0/16" + v }, "podSubnet")),
        new("spec.serviceSubnet", (s, v) => s with { Spec = s.Spec with { ServiceSubnet = v } }, v => SpecError(s => s with { ServiceSubnet = v }, "serviceSubnet")),
        new("spec.kubernetesVersion", (s, v) => s with { Spec = s.Spec with { KubernetesVersion = "1.31.2" + v } }, v => SpecError(s => s with { KubernetesVersion = "1.31.2" + v }, "kubernetesVersion")),
    ];

    public static TheoryData<string> FieldNames() => [.. Fields.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(FieldNames))]
    public void Boundary_HostileValueInField_RefusedOnThatField(string fieldName)
    {
        var field = Fields.Single(f => f.Name == fieldName);
        if (field.Boundary is null)
        {
            return; // display-only fields: the end-to-end test asserts they never reach a host
        }

        foreach (var payload in Payloads)
        {
            var error = field.Boundary(payload);
            Assert.True(error is not null, $"{fieldName} accepted {HostInputRules.Quoted(payload)}");
            Assert.DoesNotContain('\n', error);
        }
    }

    [Theory]
    [MemberData(nameof(FieldNames))]
    public async Task EveryPlan_HostileValueForcedPastTheBoundary_RefusedOrCarriedOnlyAsData(string fieldName)
    {
        var field = Fields.Single(f => f.Name == fieldName);
        var displayOnly = field.Boundary is null;
        foreach (var payload in Payloads)
        {
            foreach (var (plan, scenario, joined, removing) in Scenarios())
            {
                var hostile = field.Inject(scenario, payload);
                var sent = await RunPlanAsync(plan, hostile, joined, removing);
                sent.AddRange(await RunHealthProbeAsync(hostile));
                foreach (var (script, input) in sent)
                {
                    await AssertScriptSafeAsync(script, fieldName, plan);
                    if (input is not null)
                    {
                        AssertFileSafe(input, fieldName, plan);
                    }

                    if (displayOnly)
                    {
                        Assert.DoesNotContain(Cmd, script, StringComparison.Ordinal);
                        Assert.DoesNotContain(Cmd, input ?? string.Empty, StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Witness_PayloadAsCode_Detected_AsQuotedData_Not()
    {
        Assert.True(await _witness.Shell.MarkerRanAsync($"echo x;{Cmd};#", 0));
        Assert.True(await _witness.Shell.MarkerRanAsync($"kubeadm init --config /etc/x.yaml && echo \"$({Cmd})\"", 0));
        Assert.True(await _witness.Shell.MarkerRanAsync($"crictl ps -q || {Cmd}", 1));
        Assert.False(await _witness.Shell.MarkerRanAsync($"echo {ShellScript.Quote($"x;{Cmd};#")}", 0));
        Assert.False(await _witness.Shell.MarkerRanAsync(((ShellScript)$"kubectl drain {$"$({Cmd})"} --force").Text, 0));
    }

    private async Task AssertScriptSafeAsync(string script, string field, string plan)
    {
        if (!_witness.Seen.TryAdd(script, true))
        {
            return;
        }

        Assert.True(await ShellWitness.SyntaxErrorAsync(script) is null, $"{field} / {plan}: dash cannot parse:\n{script}");
        if (!script.Contains(Cmd, StringComparison.Ordinal))
        {
            return;
        }

        foreach (var exit in new[] { 0, 1 })
        {
            Assert.False(await _witness.Shell.MarkerRanAsync(script, exit), $"{field} / {plan}: the payload ran as a command (stubs exit {exit}):\n{script}");
        }
    }

    /// <summary>A value may reach a file only as a double-quoted YAML scalar, alone on its line (Yaml.Quote).</summary>
    private static void AssertFileSafe(string content, string field, string plan)
    {
        foreach (var line in content.Split('\n').Where(l => l.Contains(Cmd, StringComparison.Ordinal)))
        {
            Assert.True(QuotedYamlLine().IsMatch(line), $"{field} / {plan}: a file carries the payload outside a quoted YAML scalar: {line}");
        }

        Assert.DoesNotContain('\u2028', content);
    }

    private static IEnumerable<(string Plan, Scenario Scenario, bool Joined, IReadOnlySet<int> Removing)> Scenarios()
    {
        var none = new HashSet<int>();
        var (s0, m0) = Seed000();
        yield return (PlanCatalog.Create, new Scenario(s0, m0), false, none);
        var (s2, m2) = Seed002();
        yield return (PlanCatalog.Create, new Scenario(s2, m2), false, none);
        var (s1, m1) = Seed001();
        yield return (PlanCatalog.AddNodes, new Scenario(s1, m1), false, none);
        // Reset of a worker and a control plane of a joined cluster: drains from a control plane that stays.
        yield return (PlanCatalog.Reset, new Scenario(s0, m0), true, new HashSet<int> { 2, 5 });
        // Renewal of a joined cluster: HAProxy runtime commands name each control plane on every load balancer.
        yield return (PlanCatalog.RenewCertificates, new Scenario(s0, m0), true, none);
        yield return (PlanCatalog.RenewCertificates, new Scenario(s1, m1), true, none);
    }

    private static async Task<List<(string Script, string? Input)>> RunPlanAsync(string planKey, Scenario scenario, bool joined, IReadOnlySet<int> removing)
    {
        var shells = scenario.Members.ToDictionary(
            m => m.HostId,
            m => new ScriptedHost(
                m.HostId == 2 && scenario.ReportedHostname is { } reported ? reported : m.Facts?.Hostname ?? m.Name,
                m.Address,
                joined,
                scenario.ReportedInterface,
                scenario.ReportedOs ?? "Debian GNU/Linux 12 (bookworm)"));
        var sink = new PlanBuildingTests.ListSink();
        var sessions = new Dictionary<int, HostSession>();
        PlanContext? context = null;
        context = new PlanContext(1, 1, scenario.Spec, scenario.Members, removing, new JoinMaterial(), new PlanBuildingTests.MemorySecrets(), (id, _) =>
        {
            lock (sessions)
            {
                if (!sessions.TryGetValue(id, out var s))
                {
                    sessions[id] = s = new HostSession(context!.Member(id), context, shells[id], sink);
                }

                return Task.FromResult(s);
            }
        }, TimeProvider.System, new ProvisioningOptions { VerifyTimeout = TimeSpan.Zero });

        foreach (var step in new PlanCatalog(new AllReady()).Get(planKey).Steps)
        {
            context.CurrentStepKey = step.Key;
            foreach (var host in step.SelectHosts(context))
            {
                try
                {
                    if (step.ShouldRun(context, host))
                    {
                        await step.RunAsync(await context.SessionAsync(host, default), default);
                    }
                }
                catch (Exception ex) when (ex is StepFailedException or ShellScriptException or ArgumentException or FormatException)
                {
                    // Refused: the step stops on this host, as the executor would record it; the plan goes on here so
                    // that every later step is exercised too.
                }
            }
        }

        return shells.Values.SelectMany(s => s.Sent).ToList();
    }

    /// <summary>The health probe's reads (etcd, every load balancer with the VIP) against the same hosts.</summary>
    private static async Task<List<(string Script, string? Input)>> RunHealthProbeAsync(Scenario scenario)
    {
        var factory = new ScriptedHosts(scenario);
        await using (var probe = new ClusterHostProbe(factory, TimeProvider.System))
        {
            await probe.ReadEtcdAsync(scenario.Spec, scenario.Members, default);
            foreach (var member in scenario.Members.Where(m => m.Is(NodeRole.LoadBalancer) || scenario.Spec.LoadBalancerMode == LoadBalancerMode.NodeLocal))
            {
                await probe.ReadLoadBalancerAsync(member, scenario.Spec.VirtualIp, default);
            }
        }

        return factory.Opened.SelectMany(s => s.Sent).ToList();
    }

    private static List<ClusterMember> Replace(List<ClusterMember> members, int hostId, Func<ClusterMember, ClusterMember> change) =>
        members.Select(m => m.HostId == hostId ? change(m) : m).ToList();

    private static string? SpecError(Func<ClusterSpec, ClusterSpec> change, string field)
    {
        var (spec, members) = Seed000();
        return ClusterSpecValidator.Validate(change(spec), members).Errors.FirstOrDefault(e => e.Field == field)?.Message;
    }

    private static string? ConfigValuesRefuse(string name)
    {
        var state = NodeStateScript.Parse($"addr={name} 10.0.0.5/24\n");
        return state.Addresses.Count == 0 ? "dropped" : null;
    }

    // - "value", key: "value", - name: "x"  / value: "x", [ "value" ]
    [GeneratedRegex("""^\s*(- )?([A-Za-z-]+: )?\[?"([^"\\]|\\.)*"\]?\s*$""")]
    private static partial Regex QuotedYamlLine();

    /// <summary>Every node of the topologies Ready (their hostnames are host1..hostN), so verification reaches etcd.</summary>
    private sealed class AllReady : IClusterApi
    {
        public Task<IReadOnlyList<NodeReadiness>> GetNodesAsync(string kubeconfig, IReadOnlyList<Uri> endpoints, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<NodeReadiness>>([.. Enumerable.Range(1, 20).Select(i => new NodeReadiness($"host{i}", true))]);
    }

    private sealed class ScriptedHosts(Scenario scenario) : IHostShellFactory
    {
        public List<ScriptedHost> Opened { get; } = [];

        public Task<IHostShell> OpenAsync(ClusterMember host, CancellationToken cancellationToken)
        {
            var shell = new ScriptedHost(host.Facts?.Hostname ?? host.Name, host.Address, joined: true, scenario.ReportedInterface);
            lock (Opened)
            {
                Opened.Add(shell);
            }

            return Task.FromResult<IHostShell>(shell);
        }
    }
}
