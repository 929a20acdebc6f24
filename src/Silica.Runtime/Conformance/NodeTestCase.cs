using System.Globalization;
using Silica.Onnx;
using Silica.Onnx.Graph;
using Silica.Onnx.Protobuf;

namespace Silica.Runtime.Conformance;

/// <summary>
/// One ONNX backend node test on disk: <c>model.onnx</c> and <c>test_data_set_N/{input,output}_K.pb</c>
/// (the layout of onnx/backend/test/data/node and of Debian's libonnx-testdata).
/// </summary>
/// <param name="Name">The folder name.</param>
/// <param name="ModelPath">The model file.</param>
/// <param name="Model">The parsed model, or null when Silica cannot read it.</param>
/// <param name="LoadError">Why the model could not be read, when <paramref name="Model"/> is null.</param>
/// <param name="OpType">The operator under test.</param>
/// <param name="DataSets">The data-set folders, in numeric order.</param>
internal sealed record NodeTestCase(string Name, string ModelPath, OnnxModel? Model, string? LoadError, string OpType, IReadOnlyList<string> DataSets)
{
    private const string ModelFile = "model.onnx";

    /// <summary>
    /// The tests under <paramref name="root"/>: a folder of test folders, a folder holding <c>node/</c>,
    /// or a single test folder.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> Find(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"node-test folder '{root}' does not exist");
        }
        if (File.Exists(Path.Combine(root, ModelFile)))
        {
            return [root];
        }
        var node = Path.Combine(root, "node");
        var parent = Directory.Exists(node) && !Directory.EnumerateDirectories(root).Any(d => File.Exists(Path.Combine(d, ModelFile))) ? node : root;
        return [.. Directory.EnumerateDirectories(parent).Where(d => File.Exists(Path.Combine(d, ModelFile))).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads a test folder's model and lists its data sets.</summary>
    public static NodeTestCase Load(string directory)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var path = Path.Combine(directory, ModelFile);
        OnnxModel? model = null;
        string? error = null;
        try
        {
            model = OnnxModel.Load(path);
        }
        catch (OnnxFormatException e)
        {
            error = e.Message;
        }
        var sets = Directory.EnumerateDirectories(directory, "test_data_set_*")
            .OrderBy(d => Ordinal(d, "test_data_set_"))
            .ToArray();
        return new NodeTestCase(name, path, model, error, PrimaryOp(name, model), sets);
    }

    /// <summary>The <c>input_K.pb</c> or <c>output_K.pb</c> tensors of a data set, in K order.</summary>
    public static List<TensorProto> ReadTensors(string dataSet, string prefix) =>
    [
        .. Directory.EnumerateFiles(dataSet, prefix + "_*.pb")
            .OrderBy(f => Ordinal(Path.GetFileNameWithoutExtension(f), prefix + "_"))
            .Select(f => TensorProto.Parser.ParseFrom(File.ReadAllBytes(f))),
    ];

    /// <summary>Why the test's values cannot be dense tensors (sequences, maps, optionals, strings), or null.</summary>
    public string? NonTensorReason()
    {
        if (Model is null)
        {
            return null;
        }
        foreach (var v in Model.Graph.RuntimeInputs.Concat(Model.Graph.Outputs))
        {
            if (v.DeclaredInfo?.Type is { } t && t.ValueCase != TypeProto.ValueOneofCase.TensorType)
            {
                return $"'{v.Name}' is a {t.ValueCase} value; Silica tensors are dense";
            }
            if (v.Type?.ElementType is Onnx.Model.TensorDataType.String)
            {
                return $"'{v.Name}' is a string tensor; Silica tensors are dense numeric";
            }
        }
        return null;
    }

    // A single-node graph names its operator. Expanded tests (function bodies, "_expanded") and multi-node tests
    // name it only in the folder: test_softmax_axis_0_expanded → Softmax, counted under the operator they test.
    private static string PrimaryOp(string name, OnnxModel? model)
    {
        var nodes = model?.Graph.Nodes;
        if (nodes is { Count: 1 })
        {
            return nodes[0].OpType;
        }
        var stem = name.StartsWith("test_", StringComparison.Ordinal) ? name[5..] : name;
        var compact = stem.Replace("_", "", StringComparison.Ordinal);
        var fromGraph = nodes?
            .Select(n => n.OpType)
            .Where(op => compact.StartsWith(op, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(op => op.Length)
            .FirstOrDefault();
        if (fromGraph is not null)
        {
            return fromGraph;
        }
        var first = stem.Split('_')[0];
        return first.Length == 0 ? name : char.ToUpperInvariant(first[0]) + first[1..];
    }

    private static int Ordinal(string path, string prefix)
    {
        var file = Path.GetFileName(path);
        return file.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(file.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }
}
