using MudBlazor;

namespace KubeHa.Web.Components.Layout;

/// <summary>KubeHa's palette, light and dark.</summary>
public static class KubeHaTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#326ce5", // the Kubernetes blue
            Secondary = "#00897b",
            AppbarBackground = "#1f3b73",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6f9cff",
            Secondary = "#4db6ac",
            AppbarBackground = "#15213a",
        },
    };
}
