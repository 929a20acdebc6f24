using Silica.Runtime.Tensors;

namespace Silica.Runtime.Backends;

/// <summary>
/// A loaded model, ready to run. Runs read the caller's input tensors and write into the caller's
/// pre-allocated output tensors, so a caller that reuses its tensors runs without allocating.
/// </summary>
public interface ISession : IDisposable
{
    /// <summary>The model's name, used in messages.</summary>
    string ModelName { get; }

    /// <summary>The inputs the caller must supply, in the order <see cref="Run"/> takes them.</summary>
    IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>The outputs, in the order <see cref="Run"/> fills them.</summary>
    IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>
    /// True when <see cref="Run"/> may be called from several threads at once. When false, overlapping
    /// calls fail with <see cref="InvalidOperationException"/>; use one session per thread.
    /// </summary>
    bool IsThreadSafe { get; }

    /// <summary>Runs the model once.</summary>
    /// <param name="inputs">One tensor per entry of <see cref="Inputs"/>, in order.</param>
    /// <param name="outputs">One tensor per entry of <see cref="Outputs"/>, in order, already shaped to the result.</param>
    /// <exception cref="InvalidInputException">A tensor's count, element type or shape does not match the model.</exception>
    /// <exception cref="InferenceException">The backend failed while running the model.</exception>
    void Run(ReadOnlySpan<Tensor> inputs, Span<Tensor> outputs);
}
