namespace KubeHa.Web.Tests.Alerts;

/// <summary>The alert test classes share one app, receiver and SMTP server (and so run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class AlertsCollection : ICollectionFixture<AlertsFixture>
{
    public const string Name = "alerts";
}
