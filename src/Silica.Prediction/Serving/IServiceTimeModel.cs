namespace Silica.Prediction.Serving;

/// <summary>How long one batch takes to run on one server (model instance), as the simulator sees it.</summary>
public interface IServiceTimeModel
{
    /// <summary>Draws the service time of one batch of <paramref name="rows"/> rows, in seconds.</summary>
    /// <param name="rows">Rows the batch runs with, padding included.</param>
    /// <param name="random">The source of randomness; the simulator passes a seeded one so runs repeat.</param>
    /// <returns>A positive duration in seconds.</returns>
    double Sample(int rows, Random random);

    /// <summary>The median service time of a batch of <paramref name="rows"/> rows, in seconds.</summary>
    /// <param name="rows">Rows the batch runs with, padding included.</param>
    /// <returns>A positive duration in seconds.</returns>
    double Median(int rows);
}
