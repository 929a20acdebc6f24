using Silica.Onnx.Graph;

namespace Silica.Runtime.Backends;

/// <summary>
/// An engine that runs ONNX models on one device (<c>cpu</c> over ONNX Runtime, later <c>cuda</c>).
/// A backend is cheap to hold; the work happens in the <see cref="ISession"/>s it creates.
/// </summary>
public interface IBackend
{
    /// <summary>The registry name (<c>cpu</c>, <c>cuda</c>).</summary>
    string Name { get; }

    /// <summary>The device the backend runs on.</summary>
    DeviceInfo Device { get; }

    /// <summary>Precisions this backend can execute (as the model's tensors are typed, not converted).</summary>
    IReadOnlyList<Precision> SupportedPrecisions { get; }

    /// <summary>Checks, without loading it, whether the model can run here; when not, says why.</summary>
    BackendSupport CanRun(OnnxModel model);

    /// <summary>Loads a model held in Silica's IR.</summary>
    /// <exception cref="ModelLoadException">The backend rejected the model.</exception>
    ISession CreateSession(OnnxModel model, SessionOptions? options = null);

    /// <summary>Loads a model file (external data resolved next to it).</summary>
    /// <exception cref="ModelLoadException">The file is missing, not ONNX, or rejected by the backend.</exception>
    ISession CreateSession(string path, SessionOptions? options = null);

    /// <summary>Loads a model from ONNX protobuf bytes.</summary>
    /// <exception cref="ModelLoadException">The bytes are not a model the backend accepts.</exception>
    ISession CreateSession(ReadOnlyMemory<byte> modelBytes, SessionOptions? options = null);
}
