namespace Silica.Benchmarking.Tests;

/// <summary>A clock that moves only when the test says so.</summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private long _ticks = 1_000_000;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
