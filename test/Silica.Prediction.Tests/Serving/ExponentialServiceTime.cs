using Silica.Prediction.Serving;

namespace Silica.Prediction.Tests.Serving;

/// <summary>Exponential service times of mean 1/<paramref name="rate"/>, whatever the batch: the M/M/c server of queueing theory.</summary>
internal sealed class ExponentialServiceTime(double rate) : IServiceTimeModel
{
    public double Sample(int rows, Random random) => -Math.Log(1.0 - random.NextDouble()) / rate;

    public double Median(int rows) => Math.Log(2) / rate;
}
