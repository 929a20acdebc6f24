using Google.Protobuf;
using Silica.Onnx.Protobuf;
using Silica.Onnx.Serialization;

namespace Silica.Onnx.Graph;

/// <summary>
/// An ONNX model: the main graph plus model-level facts (IR version, operator sets, producer, metadata).
/// Load with <see cref="Load(string, OnnxReadOptions?)"/>, change the <see cref="Graph"/>, save with
/// <see cref="Save(string, OnnxWriteOptions?)"/>.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>Metadata key marking a model whose initializers are declared without data (for analysis only).</summary>
    public const string WeightlessMetadataKey = "silica.weights";

    internal OnnxModel(ModelProto shell, OnnxGraph graph)
    {
        Shell = shell;
        Graph = graph;
    }

    /// <summary>Creates a model around a graph with the given default-domain opset.</summary>
    public OnnxModel(OnnxGraph graph, long opset, long irVersion = 8)
    {
        Graph = graph;
        Shell = new ModelProto { IrVersion = irVersion, ProducerName = "silica" };
        Shell.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    /// <summary>The main graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>Model fields other than the graph (kept verbatim on save).</summary>
    internal ModelProto Shell { get; }

    /// <summary>The ONNX IR version the file declares.</summary>
    public long IrVersion
    {
        get => Shell.IrVersion;
        set => Shell.IrVersion = value;
    }

    /// <summary>The producer named in the file.</summary>
    public string ProducerName
    {
        get => Shell.ProducerName;
        set => Shell.ProducerName = value;
    }

    /// <summary>Operator set versions by domain (<c>""</c> is the default ONNX domain).</summary>
    public IReadOnlyDictionary<string, long> OpsetImports =>
        Shell.OpsetImport.GroupBy(o => o.Domain == "ai.onnx" ? "" : o.Domain).ToDictionary(g => g.Key, g => g.Max(o => o.Version));

    /// <summary>The default-domain opset version (0 when the file imports none).</summary>
    public long Opset => OpsetImports.GetValueOrDefault("");

    /// <summary>Model metadata properties.</summary>
    public IReadOnlyDictionary<string, string> Metadata =>
        Shell.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>True when the initializers carry no data (a zoo model built for analysis only).</summary>
    public bool IsWeightless => Metadata.TryGetValue(WeightlessMetadataKey, out var v) && v == "absent";

    /// <summary>Sets or replaces a metadata property.</summary>
    public void SetMetadata(string key, string value)
    {
        foreach (var p in Shell.MetadataProps)
        {
            if (p.Key == key)
            {
                p.Value = value;
                return;
            }
        }
        Shell.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    /// <summary>Sets the version imported for an operator-set domain.</summary>
    public void SetOpset(string domain, long version)
    {
        foreach (var o in Shell.OpsetImport)
        {
            if (o.Domain == domain)
            {
                o.Version = version;
                return;
            }
        }
        Shell.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
    }

    /// <summary>Reads a model file; external data is resolved relative to the file's folder.</summary>
    /// <exception cref="OnnxFormatException">The file is missing, unreadable or not a valid ONNX model.</exception>
    public static OnnxModel Load(string path, OnnxReadOptions? options = null) => OnnxReader.ReadFile(path, options);

    /// <summary>Reads a model from bytes (a model with external data must be loaded from its file).</summary>
    /// <exception cref="OnnxFormatException">The bytes are not a valid ONNX model.</exception>
    public static OnnxModel Load(ReadOnlySpan<byte> bytes, OnnxReadOptions? options = null) => OnnxReader.Read(bytes, null, options);

    /// <summary>Writes the model to a file atomically (a temporary file renamed into place).</summary>
    /// <exception cref="ArgumentException"><see cref="OnnxWriteOptions.ExternalDataFileName"/> is not a plain file name.</exception>
    /// <exception cref="InvalidOperationException">
    /// The model was loaded with <see cref="OnnxReadOptions.LoadExternalData"/> off and still refers to data files.
    /// </exception>
    public void Save(string path, OnnxWriteOptions? options = null) => OnnxWriter.WriteFile(this, path, options);

    /// <summary>The model serialized as ONNX protobuf bytes (all data inline).</summary>
    public byte[] ToBytes(OnnxWriteOptions? options = null) => OnnxWriter.ToProto(this, options).ToByteArray();

    /// <summary>The model as a protobuf message (shares initializer data with the IR).</summary>
    public ModelProto ToProto(OnnxWriteOptions? options = null) => OnnxWriter.ToProto(this, options);
}
