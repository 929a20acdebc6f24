using Silica.Prediction.Serving;

namespace Silica.Prediction.Tests.Serving;

public sealed class BatcherPolicyTests
{
    public static TheoryData<BatcherPolicy, string> BadPolicies => new()
    {
        { new BatcherPolicy { MaxBatchSize = 0 }, "MaxBatchSize" },
        { new BatcherPolicy { Servers = 0 }, "Servers" },
        { new BatcherPolicy { RowsPerRequest = 0 }, "RowsPerRequest" },
        { new BatcherPolicy { MaxBatchSize = 4, RowsPerRequest = 5 }, "RowsPerRequest" },
        { new BatcherPolicy { MaxQueueSize = 0 }, "MaxQueueSize" },
        { new BatcherPolicy { MaxQueueDelay = TimeSpan.FromMilliseconds(-1) }, "MaxQueueDelay" },
        { new BatcherPolicy { QueueTimeout = TimeSpan.Zero }, "QueueTimeout" },
        { new BatcherPolicy { MaxBatchSize = 8, PreferredBatchSizes = [4, 16] }, "preferred batch size 16" },
        { new BatcherPolicy { PreferredBatchSizes = [0] }, "preferred batch size 0" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void Validate_OutOfRange_ThrowsOneLineMessageNamingTheValue(BatcherPolicy policy, string named)
    {
        var e = Assert.Throws<ArgumentException>(policy.Validate);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Run_InvalidPolicy_Throws()
    {
        var curve = new CurveServiceTime([new(1, 0.001, 0.001)]);
        Assert.Throws<ArgumentException>(() => BatcherSimulator.Run(new BatcherPolicy { Servers = 0 }, curve, 10));
        Assert.Throws<ArgumentException>(() => BatcherSimulator.MaxQps(new BatcherPolicy { MaxBatchSize = 0 }, curve, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        new BatcherPolicy().Validate();
        new BatcherPolicy { QueueTimeout = Timeout.InfiniteTimeSpan, PreferredBatchSizes = [2, 8] }.Validate();
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 8)]
    [InlineData(8, 8)]
    public void PaddedSize_RoundsUpToTheNextPreferredSize(int rows, int padded)
    {
        var policy = new BatcherPolicy { MaxBatchSize = 8, PreferredBatchSizes = [8, 2, 4] };
        Assert.Equal(padded, policy.PaddedSize(rows));
        Assert.Equal(8, policy.TargetRows);
    }

    [Fact]
    public void PaddedSize_NoPreferredSizes_IsExact()
    {
        var policy = new BatcherPolicy { MaxBatchSize = 8 };
        Assert.Equal(5, policy.PaddedSize(5));
        Assert.Equal(8, (policy with { PreferredBatchSizes = [] }).TargetRows);
        Assert.Equal(4, (policy with { PreferredBatchSizes = [2, 4] }).TargetRows);
    }
}
