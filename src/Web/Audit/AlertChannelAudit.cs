using KubeHa.Core.Alerts;

namespace KubeHa.Web.Audit;

/// <summary>How the audit log names alert channels and their tests (shared by the API and the admin page).</summary>
public static class AlertChannelAudit
{
    public static string Target(AlertChannelView channel) => $"alert channel '{channel.Name}' (#{channel.Id})";

    /// <summary>Kind, where it sends (no secret: the webhook shows as scheme and host), state and events.</summary>
    public static string Detail(AlertChannelView channel) =>
        $"{channel.Kind.ToString().ToLowerInvariant()} to {channel.Target}{(channel.Enabled ? "" : ", disabled")}; events {string.Join(", ", channel.Events.Select(AlertEventKinds.Name))}";

    public static string TestDetail(AlertDeliveryView delivery) =>
        delivery.Status == AlertDeliveryStatus.Delivered ? $"delivered: {delivery.Result}" : $"failed: {delivery.Error}";
}
