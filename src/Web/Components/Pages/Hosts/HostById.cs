using KubeHa.Core.Hosts;

namespace KubeHa.Web.Components.Pages.Hosts;

/// <summary>Keeps a table selection across reloads: rows are the same host when their ids match.</summary>
internal sealed class HostById : IEqualityComparer<HostView>
{
    public static HostById Instance { get; } = new();

    public bool Equals(HostView? x, HostView? y) => x?.Id == y?.Id;

    public int GetHashCode(HostView obj) => obj.Id;
}
