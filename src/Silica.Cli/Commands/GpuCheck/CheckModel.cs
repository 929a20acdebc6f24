using Silica.Benchmarking.Inference;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Cli.Commands.GpuCheck;

/// <summary>
/// A model gpu-check runs: a zoo model at a small batch, or one of the three PaddleOCR models at its fixed
/// shape. Both backends get the same file, the same dimension bindings and the same seeded inputs.
/// </summary>
/// <param name="Name">The name in the report.</param>
/// <param name="Path">The model file.</param>
/// <param name="Graph">The graph (weights not needed), for sizing outputs.</param>
/// <param name="Bindings">Every symbolic dimension's size, batch included.</param>
/// <param name="IsTransformer">Encoder or decoder (the only models checked in FP8).</param>
/// <param name="FixedInputShape">The OCR input shape; null for zoo models (shapes come from the bindings).</param>
internal sealed record CheckModel(string Name, string Path, OnnxModel Graph, IReadOnlyDictionary<string, long> Bindings, bool IsTransformer, long[]? FixedInputShape)
{
    /// <summary>Zoo models checked by default.</summary>
    public static readonly string[] ZooNames = ["mlp", "resnet50", "mobilenetv2", "bert-base", "bert-large", "gpt2-small-prefill", "gpt2-medium-prefill"];

    /// <summary>The OCR models: report name, file in the OCR folder, input shape (NCHW).</summary>
    public static readonly (string Name, string File, long[] Shape)[] Ocr =
    [
        ("ocr-det", "ch_PP-OCRv4_det_infer.onnx", [1, 3, 320, 320]),
        ("ocr-rec", "ch_PP-OCRv4_rec_infer.onnx", [1, 3, 48, 320]),
        ("ocr-cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx", [1, 3, 48, 192]),
    ];

    /// <summary>Every model name gpu-check knows, in the default order.</summary>
    public static IReadOnlyList<string> AllNames => [.. ZooNames, .. Ocr.Select(o => o.Name)];

    /// <summary>Resolves a name; zoo models are built into the zoo cache on first use (seconds for the large ones).</summary>
    /// <exception cref="UsageException">An unknown name, or an OCR model without its file.</exception>
    public static CheckModel Resolve(string name, string? ocrDir, int batch, int seq)
    {
        var ocr = Array.FindIndex(Ocr, o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
        if (ocr >= 0)
        {
            var (ocrName, file, shape) = Ocr[ocr];
            var path = System.IO.Path.Combine(ocrDir ?? throw new UsageException($"model '{ocrName}' needs --ocr-dir (the folder holding {file})"), file);
            if (!File.Exists(path))
            {
                throw new UsageException($"model '{ocrName}': '{path}' does not exist (scripts/fetch-test-data.sh fetches it)");
            }
            var graph = OnnxModel.Load(path);
            return new CheckModel(ocrName, path, graph, BindToShape(graph, shape), false, shape);
        }
        var info = ModelZoo.Find(name) ?? throw new UsageException($"unknown model '{name}'; gpu-check knows {string.Join(", ", AllNames)}");
        var bindings = new Dictionary<string, long>(StringComparer.Ordinal) { ["batch"] = batch };
        if (info.DefaultBindings.ContainsKey("seq"))
        {
            bindings["seq"] = seq;
        }
        var transformer = info.Family is ZooModelFamily.Encoder or ZooModelFamily.Decoder;
        return new CheckModel(info.Name, ModelZoo.GetOrCreateFile(info.Name), ModelZoo.Build(info.Name, new ZooBuildOptions { WithWeights = false }), bindings, transformer, null);
    }

    /// <summary>Seeded inputs for a session's inputs: token ids in range, masks of ones, images in [-1, 1].</summary>
    public Tensor[] CreateInputs(IReadOnlyList<TensorInfo> inputs, int seed)
    {
        if (FixedInputShape is null)
        {
            return SyntheticInputs.Create(inputs, (int)Bindings["batch"], Bindings, seed);
        }
        var rng = new Random(seed);
        var tensors = new Tensor[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            tensors[i] = Tensor.Allocate(TensorDataType.Float, FixedInputShape);
            foreach (ref var v in tensors[i].AsFloats())
            {
                v = (float)(rng.NextDouble() * 2 - 1);
            }
        }
        return tensors;
    }

    // The OCR exports name their dynamic dims (p2o.DynamicDimension.0 ...): bind each to the fixed shape so a
    // planning backend can specialise, exactly as it would for a zoo model's batch and seq.
    private static Dictionary<string, long> BindToShape(OnnxModel graph, long[] shape)
    {
        var bindings = new Dictionary<string, long>(StringComparer.Ordinal);
        var input = graph.Graph.RuntimeInputs.First();
        if (input.Type?.Shape is { } s && s.Rank == shape.Length)
        {
            for (var d = 0; d < shape.Length; d++)
            {
                if (s[d].IsSymbolic)
                {
                    bindings[s[d].Symbol!] = shape[d];
                }
            }
        }
        return bindings;
    }
}
