using Silica.Serving.Hosting;

namespace Silica.Serving.Tests.Hosting;

public sealed class ConnectionLimitTests
{
    [Theory]
    [InlineData(20_000L, 10_000L)] // this project's machines: half the descriptors
    [InlineData(1_024L, 512L)] // a common default soft limit
    [InlineData(1_048_576L, 10_000L)] // capped
    [InlineData(50L, 64L)] // floor
    [InlineData(null, 10_000L)] // unknown or unlimited
    public void FromOpenFileLimit_HalfTheDescriptorsWithinBounds(long? openFiles, long expected) =>
        Assert.Equal(expected, ConnectionLimit.FromOpenFileLimit(openFiles));

    [Fact]
    public void Default_ReadsThisProcessLimit_LeavesDescriptorsSpare()
    {
        var soft = long.Parse(File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(ConnectionLimit.FromOpenFileLimit(soft), ConnectionLimit.Default);
        Assert.True(ConnectionLimit.Default < soft);
    }
}
