using Google.Protobuf;
using Silica.Onnx.Protobuf;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Conformance;

/// <summary>
/// Runs ONNX backend node tests (the folders of <c>onnx/backend/test/data/node</c>, as shipped in Debian's
/// <c>libonnx-testdata</c>) on any <see cref="IBackend"/> and compares every output with the reference.
/// A test the backend does not implement — <see cref="IBackend.CanRun"/> says not supported, or loading throws
/// <see cref="ModelLoadException"/> or <see cref="NotSupportedException"/> — is skipped, not failed, so the
/// report doubles as the backend's operator coverage.
/// </summary>
public static class NodeTestRunner
{
    // Their reference outputs are one draw from a random generator; ONNX's own runner excludes them too.
    private static readonly string[] RandomOutputPrefixes = ["test_bernoulli", "test_training_dropout"];

    /// <summary>Runs the tests under <paramref name="root"/>.</summary>
    /// <param name="backend">The backend under test.</param>
    /// <param name="root">A folder of test folders (<c>.../node</c>), its parent, or one test folder.</param>
    /// <param name="options">Operator filter, precision and tolerances; null runs everything at FP32.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    public static NodeTestReport Run(IBackend backend, string root, NodeTestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrEmpty(root);
        options ??= new NodeTestOptions();
        var tolerances = options.Tolerances ?? NodeTestTolerances.For(options.Precision, options.AllowTf32);
        var filter = options.OpFilter is { Count: > 0 } ops ? new HashSet<string>(ops, StringComparer.OrdinalIgnoreCase) : null;
        var sessionOptions = new SessionOptions { Precision = options.Precision, AllowTf32 = options.AllowTf32 };
        var results = new List<NodeTestResult>();
        foreach (var dir in NodeTestCase.Find(root))
        {
            var test = NodeTestCase.Load(dir);
            if (filter is null || filter.Contains(test.OpType))
            {
                results.Add(RunOne(backend, test, sessionOptions with { ModelName = test.Name }, tolerances));
            }
        }
        return new NodeTestReport(backend.Name, options.Precision, options.AllowTf32, tolerances, results);
    }

    private static NodeTestResult RunOne(IBackend backend, NodeTestCase test, SessionOptions sessionOptions, NodeTestTolerances tolerances)
    {
        if (test.Model is null)
        {
            return Skip(test, $"Silica cannot read the model: {test.LoadError}");
        }
        if (RandomOutputPrefixes.Any(prefix => test.Name.StartsWith(prefix, StringComparison.Ordinal)) && !test.Name.Contains("zero_ratio", StringComparison.Ordinal))
        {
            return Skip(test, "the output is random (sampling or training-mode dropout); no reference can match it");
        }
        if (test.NonTensorReason() is { } nonTensor)
        {
            return Skip(test, nonTensor);
        }
        var support = backend.CanRun(test.Model);
        if (!support.IsSupported)
        {
            return Skip(test, support.Reason ?? "the backend cannot run it");
        }
        ISession session;
        try
        {
            session = backend.CreateSession(test.ModelPath, sessionOptions);
        }
        catch (Exception e) when (e is ModelLoadException or NotSupportedException)
        {
            return Skip(test, e.Message);
        }
        using (session)
        {
            var comparisons = new List<TensorComparison>();
            foreach (var set in test.DataSets)
            {
                try
                {
                    if (RunDataSet(session, set, tolerances, comparisons) is { } failure)
                    {
                        return new NodeTestResult(test.Name, test.OpType, NodeTestOutcome.Failed, Worst(comparisons), $"{Path.GetFileName(set)}: {failure}");
                    }
                }
                catch (Exception e) when (e is InvalidInputException or InferenceException or InvalidProtocolBufferException or NotSupportedException)
                {
                    return new NodeTestResult(test.Name, test.OpType, NodeTestOutcome.Failed, Worst(comparisons), $"{Path.GetFileName(set)}: {e.Message}");
                }
            }
            return comparisons.Count == 0
                ? Skip(test, "the test has no data sets")
                : new NodeTestResult(test.Name, test.OpType, NodeTestOutcome.Passed, Worst(comparisons), null);
        }
    }

    /// <summary>Runs one data set, adding each output's comparison; returns why it failed, or null.</summary>
    private static string? RunDataSet(ISession session, string dataSet, NodeTestTolerances tolerances, List<TensorComparison> comparisons)
    {
        var inputProtos = NodeTestCase.ReadTensors(dataSet, "input");
        var expectedProtos = NodeTestCase.ReadTensors(dataSet, "output");
        if (inputProtos.Count != session.Inputs.Count || expectedProtos.Count != session.Outputs.Count)
        {
            return $"the data set has {inputProtos.Count} inputs and {expectedProtos.Count} outputs; the session takes {session.Inputs.Count} and gives {session.Outputs.Count}";
        }
        var inputs = new Tensor[inputProtos.Count];
        var outputs = new Tensor[expectedProtos.Count];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = TensorValues.FromProto(inputProtos[i], session.Inputs[i].ElementType);
            }
            for (var k = 0; k < outputs.Length; k++)
            {
                outputs[k] = Tensor.Allocate(session.Outputs[k].ElementType, [.. expectedProtos[k].Dims]);
            }
            session.Run(inputs, outputs);
            string? failure = null;
            for (var k = 0; k < outputs.Length; k++)
            {
                using var expected = TensorValues.FromProto(expectedProtos[k], outputs[k].ElementType);
                if (outputs[k].ElementType != expected.ElementType)
                {
                    return $"output '{session.Outputs[k].Name}' is {outputs[k].ElementType}, expected {expected.ElementType}";
                }
                var c = TensorComparison.Compare(TensorValues.ToDoubles(outputs[k]), TensorValues.ToDoubles(expected), tolerances.Relative, tolerances.Absolute);
                comparisons.Add(c);
                failure ??= c.Mismatches > 0
                    ? $"output '{session.Outputs[k].Name}': {c.Mismatches} of {c.ElementCount} elements outside tolerance (max abs {c.MaxAbsoluteError:g3}, max rel {c.MaxRelativeError:g3})"
                    : null;
            }
            return failure;
        }
        finally
        {
            foreach (var t in inputs.Concat(outputs))
            {
                t?.Dispose();
            }
        }
    }

    private static TensorComparison? Worst(List<TensorComparison> comparisons) => comparisons.Count == 0 ? null : TensorComparison.Worst(comparisons);

    private static NodeTestResult Skip(NodeTestCase test, string reason) => new(test.Name, test.OpType, NodeTestOutcome.Skipped, null, reason);
}
