namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>A wall clock the test sets, forwards or backwards (a device whose clock is changed).</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
