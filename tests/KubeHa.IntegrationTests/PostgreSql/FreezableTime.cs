namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>
/// The system clock whose timers stop firing once <see cref="Freeze"/> is called: an in-process agent given this clock
/// stops heartbeating and polling its run at once, as a process stopped with SIGKILL would.
/// </summary>
internal sealed class FreezableTime : TimeProvider
{
    private volatile bool _frozen;

    public void Freeze() => _frozen = true;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(s => { if (!_frozen) { callback(s); } }, state, dueTime, period);
}
