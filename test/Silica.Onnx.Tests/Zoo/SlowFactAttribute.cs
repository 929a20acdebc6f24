namespace Silica.Onnx.Tests.Zoo;

/// <summary>
/// A test that takes longer than the unit-test budget (a gigabyte model through ONNX Runtime, about 30 s on
/// two cores): it runs when <c>SILICA_SLOW_TESTS=1</c> and is reported as skipped, with the reason, otherwise.
/// </summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SILICA_SLOW_TESTS") != "1")
        {
            Skip = "slow (about 30 s): set SILICA_SLOW_TESTS=1 to run";
        }
    }
}
