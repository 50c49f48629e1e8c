using Bunit;
using KubeHa.Core.Tests.Diagnostics;
using KubeHa.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace KubeHa.Web.Tests.Components;

public sealed class DiagnosePageTests
{
    // MudBlazor's services are only IAsyncDisposable, so each test owns its context and disposes it asynchronously.
    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    [Fact]
    public async Task Diagnose_PastedFailedInit_ShowsFailureFindingsWithFixAndEvidence()
    {
        await using var context = NewContext();
        var sample = KubeadmCorpus.Get("kubeadm-2479-init-v1.21-mem-prompt.txt");
        var page = context.Render<DiagnosePage>();

        page.Find("textarea").Change(sample.Output);
        page.Find("button[data-testid=diagnose-button]").Click();

        Assert.Contains("failure", page.Find("[data-testid=diagnosis-outcome]").TextContent, StringComparison.Ordinal);
        var codes = page.FindAll("[data-testid=finding-code]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(["insufficient-cpu", "cgroupfs-driver", "insufficient-memory"], codes);
        Assert.Contains("Fix: Give the machine at least 2 GB of RAM", page.Markup, StringComparison.Ordinal);
        Assert.Contains("the system RAM (978 MB) is less than the minimum 1700 MB", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnose_PastedInitWithJoinCommands_ShowsPhasesAndJoinsWithoutSecrets()
    {
        await using var context = NewContext();
        var sample = KubeadmCorpus.Get("andygol-blog-init-v1.34-ha-upload-certs-success.txt");
        var page = context.Render<DiagnosePage>();

        page.Find("textarea").Change(sample.Output);
        page.Find("button[data-testid=diagnose-button]").Click();

        Assert.Contains("success", page.Find("[data-testid=diagnosis-outcome]").TextContent, StringComparison.Ordinal);
        Assert.Contains("upload-certs", page.Find("[data-testid=diagnosis-phases]").TextContent, StringComparison.Ordinal);
        var joins = page.Find("[data-testid=diagnosis-joins]").TextContent;
        Assert.Contains("control plane", joins, StringComparison.Ordinal);
        Assert.Contains("z28v5d", joins, StringComparison.Ordinal);
        Assert.DoesNotContain("4vm6rzekoibear23", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("7a088e936453ab3143f25cdb9827b8cac60888c75f91b9d6c2d08d23a32a2bc9", page.Markup, StringComparison.Ordinal);
    }
}
