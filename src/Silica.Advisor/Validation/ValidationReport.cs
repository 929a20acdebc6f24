namespace Silica.Advisor.Validation;

/// <summary>How well the calibrated roofline predicts measurements it was not fitted to, on this machine.</summary>
/// <param name="Points">Every measured point with its held-out predictions.</param>
/// <param name="MedianErrorLeaveBatchOut">Median |error| (%) when each point is predicted from all the others.</param>
/// <param name="MedianErrorLeaveModelOut">Median |error| (%) when each model is predicted from the other models only; null with one model.</param>
/// <param name="PriorMedianError">Median |error| (%) of the uncalibrated prior, for contrast.</param>
/// <param name="Factors">Factors fitted on every point.</param>
/// <param name="MeasuredSeconds">Wall time spent measuring.</param>
public sealed record ValidationReport(
    IReadOnlyList<ValidationPoint> Points,
    double MedianErrorLeaveBatchOut,
    double? MedianErrorLeaveModelOut,
    double PriorMedianError,
    IReadOnlyDictionary<string, double> Factors,
    double MeasuredSeconds);

/// <summary>One measured point and its held-out predictions.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Batch">Batch size.</param>
/// <param name="MeasuredMs">Measured median latency, ms.</param>
/// <param name="PriorMs">Uncalibrated prediction, ms.</param>
/// <param name="LeaveBatchOutMs">Predicted from every other point, ms.</param>
/// <param name="LeaveModelOutMs">Predicted from the other models' points only, ms; null with one model.</param>
public sealed record ValidationPoint(string Model, int Batch, double MeasuredMs, double PriorMs, double LeaveBatchOutMs, double? LeaveModelOutMs)
{
    /// <summary>Signed error of the leave-one-batch-out prediction, %.</summary>
    public double LeaveBatchOutErrorPercent => 100 * ((LeaveBatchOutMs / MeasuredMs) - 1);

    /// <summary>Signed error of the leave-one-model-out prediction, %.</summary>
    public double? LeaveModelOutErrorPercent => LeaveModelOutMs is { } p ? 100 * ((p / MeasuredMs) - 1) : null;
}
