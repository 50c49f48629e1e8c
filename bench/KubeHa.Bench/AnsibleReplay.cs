using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KubeHa.Core.Provisioning;
using KubeHa.Core.Runs;
using KubeHa.Lab;

namespace KubeHa.Bench;

/// <summary>
/// An ansible-playbook run: wall time, exit code, the end of its output, its version, the commands' critical path
/// (zero when its JSON result could not be read).
/// </summary>
public sealed record AnsibleRun(TimeSpan Wall, int ExitCode, string Tail, string Version, TimeSpan CommandCriticalPath)
{
    /// <summary>Why the replay is no figure to compare with: a non-zero exit, or no per-script timings; null when it is.</summary>
    public string? FailureReason => ExitCode != 0
        ? $"ansible-playbook exited {ExitCode}:\n{Tail}"
        : CommandCriticalPath <= TimeSpan.Zero ? $"ansible-playbook printed no per-script timings (stdout callback {AnsibleReplay.Callback}):\n{Tail}" : null;

    /// <summary>Throws <see cref="BenchRunFailedException"/> with the reason unless every recorded script replayed as under KubeHa.</summary>
    public void EnsureSucceeded(string what)
    {
        if (FailureReason is { } reason)
        {
            throw new BenchRunFailedException($"{what} failed ({Version}): {reason}");
        }
    }
}

/// <summary>One step of a recorded run: its hosts in order, each with the scripts KubeHa sent it.</summary>
public sealed record ReplayStep(string Key, Fanout Fanout, IReadOnlyList<(string Host, IReadOnlyList<RecordedCommand> Commands)> Hosts);

/// <summary>
/// Replays a recorded KubeHa run with ansible-playbook: one play per step (its hosts; serial 1 where KubeHa goes one
/// host at a time), one shell task per play looping over that host's scripts in order, each run as root with its stdin
/// and required to end with the exit code it had under KubeHa. Pipelining on, facts off (KubeHa gathers its own facts
/// with commands that are part of the replay).
/// </summary>
public static class AnsibleReplay
{
    /// <summary>
    /// The stdout callback printing the run as JSON: ours (bench/KubeHa.Bench/ansible/kubeha_json.py, copied beside the
    /// harness), because ansible-core alone has no "json" callback (it is in the community.general collection).
    /// </summary>
    public const string Callback = "kubeha_json";

    /// <summary>Splits each host's recorded scripts into steps using the run log: every script logs one "$ " line.</summary>
    public static IReadOnlyList<ReplayStep> Split(Plan plan, IReadOnlyList<LogLine> log, IReadOnlyDictionary<int, List<RecordedCommand>> commands, IReadOnlyDictionary<int, string> hostNames)
    {
        var perHost = commands.ToDictionary(c => c.Key, c => new Queue<RecordedCommand>(c.Value));
        var steps = new List<ReplayStep>();
        foreach (var step in plan.Steps)
        {
            var hosts = new List<(string, IReadOnlyList<RecordedCommand>)>();
            var byHost = log.Where(l => l.StepKey == step.Key && l.HostId is not null && l.Stream == LogStream.System && l.Text.StartsWith("$ ", StringComparison.Ordinal))
                .GroupBy(l => l.HostId!.Value).OrderBy(g => g.Min(l => l.Seq));
            foreach (var group in byHost)
            {
                var queue = perHost[group.Key];
                var list = new List<RecordedCommand>();
                for (var i = 0; i < group.Count(); i++)
                {
                    list.Add(queue.Dequeue());
                }

                hosts.Add((hostNames[group.Key], list));
            }

            if (hosts.Count > 0)
            {
                steps.Add(new ReplayStep(step.Key, step.Fanout, hosts));
            }
        }

        var left = perHost.Where(q => q.Value.Count > 0).ToList();
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"recorded commands not matched to a logged step: {string.Join(", ", left.Select(l => $"{hostNames[l.Key]}: {l.Value.Count}"))}");
        }

        return steps;
    }

    /// <summary>Writes the inventory of the lab's hosts and the playbook replaying <paramref name="steps"/> on them.</summary>
    public static string Write(string dir, IReadOnlyList<ReplayStep> steps, LabInventory inventory)
    {
        WriteInventory(dir, inventory);
        return WritePlaybook(dir, steps, inventory.Hosts.Select(h => h.Name));
    }

    public static void WriteInventory(string dir, LabInventory inventory)
    {
        Directory.CreateDirectory(dir);
        var inv = new StringBuilder("all:\n  hosts:\n");
        foreach (var h in inventory.Hosts)
        {
            inv.Append(CultureInfo.InvariantCulture, $"    {h.Name}:\n      ansible_host: {h.Ip}\n      ansible_port: {h.SshPort}\n");
        }

        inv.Append(CultureInfo.InvariantCulture, $"  vars:\n    ansible_user: {inventory.Hosts[0].User}\n    ansible_ssh_private_key_file: {Q(inventory.Hosts[0].PrivateKeyPath)}\n");
        inv.Append("    ansible_ssh_common_args: \"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null\"\n    ansible_python_interpreter: /usr/bin/python3\n");
        File.WriteAllText(Path.Combine(dir, "inventory.yml"), inv.ToString());
    }

    /// <summary>replay.yml and host_vars/ (each host's scripts per step) for the hosts of inventory.yml.</summary>
    public static string WritePlaybook(string dir, IReadOnlyList<ReplayStep> steps, IEnumerable<string> hostNames)
    {
        Directory.CreateDirectory(Path.Combine(dir, "host_vars"));
        var vars = hostNames.ToDictionary(h => h, _ => new StringBuilder());
        var play = new StringBuilder();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            play.Append(CultureInfo.InvariantCulture, $"- name: {Q(step.Key)}\n  hosts: {Q(string.Join(',', step.Hosts.Select(h => h.Host)))}\n  order: inventory\n");
            play.Append("  gather_facts: false\n  become: true\n");
            if (step.Fanout == Fanout.OneAtATime)
            {
                play.Append("  serial: 1\n");
            }

            play.Append(CultureInfo.InvariantCulture, $"  tasks:\n    - name: {Q(step.Key)}\n      ansible.builtin.shell:\n        cmd: \"{{{{ item.cmd }}}}\"\n");
            play.Append("        stdin: \"{{ item.stdin | default(omit) }}\"\n        stdin_add_newline: false\n        executable: /bin/sh\n");
            play.Append(CultureInfo.InvariantCulture, $"      loop: \"{{{{ kh_{i} }}}}\"\n      loop_control:\n        label: \"{{{{ ansible_loop.index }}}}\"\n        extended: true\n");
            play.Append("      register: result\n      failed_when: result.rc != item.rc\n      changed_when: false\n\n");
            foreach (var (host, commands) in step.Hosts)
            {
                var sb = vars[host];
                sb.Append(CultureInfo.InvariantCulture, $"kh_{i}:\n");
                foreach (var c in commands)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  - cmd: !unsafe {Q(c.Script)}\n    rc: {c.ExitCode ?? 0}\n");
                    if (c.StandardInput is not null)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"    stdin: !unsafe {Q(c.StandardInput)}\n");
                    }
                }
            }
        }

        foreach (var (host, sb) in vars.Where(v => v.Value.Length > 0))
        {
            File.WriteAllText(Path.Combine(dir, "host_vars", host + ".yml"), sb.ToString());
        }

        var playbook = Path.Combine(dir, "replay.yml");
        File.WriteAllText(playbook, play.ToString());
        return playbook;
    }

    /// <summary>Runs the playbook; returns wall time, exit code and the tail of its output.</summary>
    public static async Task<AnsibleRun> RunAsync(string dir, IReadOnlyList<ReplayStep> steps, int forks, CancellationToken ct)
    {
        var version = (await RunProcessAsync("ansible-playbook", ["--version"], dir, new Dictionary<string, string>(), ct)).Stdout.Split('\n')[0].Trim();
        var env = new Dictionary<string, string>
        {
            ["ANSIBLE_PIPELINING"] = "True",
            ["ANSIBLE_HOST_KEY_CHECKING"] = "False",
            ["ANSIBLE_FORKS"] = forks.ToString(CultureInfo.InvariantCulture),
            ["ANSIBLE_RETRY_FILES_ENABLED"] = "False",
            ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(dir, "tmp"),
            ["ANSIBLE_NOCOLOR"] = "1",
            ["ANSIBLE_DISPLAY_SKIPPED_HOSTS"] = "False",
            ["ANSIBLE_STDOUT_CALLBACK"] = Callback, // per-item start/end/delta as measured on the host
            ["ANSIBLE_CALLBACK_PLUGINS"] = Path.Combine(AppContext.BaseDirectory, "ansible"),
        };
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await RunProcessAsync("ansible-playbook", ["-i", "inventory.yml", "-f", forks.ToString(CultureInfo.InvariantCulture), "replay.yml"], dir, env, ct);
        var wall = clock.Elapsed;
        var tail = string.Join('\n', (stderr + "\n" + Failures(stdout)).Split('\n').Where(l => l.Length > 0).TakeLast(25));
        return new AnsibleRun(wall, code, tail, version, CriticalPath(stdout, steps));
    }

    /// <summary>
    /// The commands' own run time on the critical path, from the deltas each host measured around each script:
    /// per step, the slowest host's sum (all hosts of a one-at-a-time step in turn). What no orchestrator can go below.
    /// </summary>
    public static TimeSpan CriticalPath(string json, IReadOnlyList<ReplayStep> steps)
    {
        var perStepHost = new Dictionary<(string Step, string Host), TimeSpan>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var play in doc.RootElement.GetProperty("plays").EnumerateArray())
            {
                foreach (var task in play.GetProperty("tasks").EnumerateArray())
                {
                    var step = task.GetProperty("task").GetProperty("name").GetString()!;
                    foreach (var host in task.GetProperty("hosts").EnumerateObject())
                    {
                        if (!host.Value.TryGetProperty("results", out var results))
                        {
                            continue;
                        }

                        foreach (var item in results.EnumerateArray())
                        {
                            if (item.TryGetProperty("delta", out var delta) && TimeSpan.TryParse(delta.GetString(), CultureInfo.InvariantCulture, out var d))
                            {
                                perStepHost[(step, host.Name)] = perStepHost.GetValueOrDefault((step, host.Name)) + d;
                            }
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        foreach (var step in steps)
        {
            var times = perStepHost.Where(p => p.Key.Step == step.Key).Select(p => p.Value).ToList();
            if (times.Count > 0)
            {
                total += step.Fanout == Fanout.OneAtATime ? times.Aggregate(TimeSpan.Zero, (a, b) => a + b) : times.Max();
            }
        }

        return total;
    }

    private static string Failures(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var lines = new List<string>();
            foreach (var task in doc.RootElement.GetProperty("plays").EnumerateArray().SelectMany(p => p.GetProperty("tasks").EnumerateArray()))
            {
                foreach (var host in task.GetProperty("hosts").EnumerateObject())
                {
                    if (host.Value.TryGetProperty("results", out var results))
                    {
                        foreach (var item in results.EnumerateArray().Where(i => i.TryGetProperty("failed", out var f) && f.GetBoolean()))
                        {
                            var err = item.TryGetProperty("stderr", out var e) ? e.GetString() : "";
                            lines.Add($"{task.GetProperty("task").GetProperty("name").GetString()} {host.Name} rc={(item.TryGetProperty("rc", out var rc) ? rc.ToString() : "?")}: {err?.Split('\n').LastOrDefault()}");
                        }
                    }
                    else if (host.Value.TryGetProperty("msg", out var msg))
                    {
                        lines.Add($"{host.Name}: {msg}");
                    }
                }
            }

            return string.Join('\n', lines.Take(10));
        }
        catch (JsonException)
        {
            return json.Length > 2000 ? json[^2000..] : json;
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, string dir, Dictionary<string, string> env, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true); // no replay left running against a lab that is being taken down
            throw new BenchRunFailedException($"{file} {string.Join(' ', args)} did not finish before the scenario's time limit; killed");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Q(string s) => JsonSerializer.Serialize(s);
}
