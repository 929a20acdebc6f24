using Silica.Onnx.ShapeInference.Ops;

namespace Silica.Onnx.ShapeInference;

/// <summary>Maps (domain, operator) to its inference function; each operator family registers itself.</summary>
internal sealed class OpRegistry
{
    private readonly Dictionary<(string Domain, string OpType), OpInference> _functions = [];

    public static OpRegistry Default { get; } = CreateDefault();

    public void Add(string opType, OpInference inference, string domain = "") => _functions[(domain, opType)] = inference;

    public void Add(IEnumerable<string> opTypes, OpInference inference)
    {
        foreach (var op in opTypes)
        {
            Add(op, inference);
        }
    }

    public OpInference? Find(string domain, string opType) =>
        _functions.GetValueOrDefault((domain == "ai.onnx" ? "" : domain, opType));

    private static OpRegistry CreateDefault()
    {
        var r = new OpRegistry();
        ElementwiseShapes.Register(r);
        CastShapes.Register(r);
        ActivationShapes.Register(r);
        ConvShapes.Register(r);
        PoolShapes.Register(r);
        MatMulShapes.Register(r);
        EinsumShapes.Register(r);
        NormalizationShapes.Register(r);
        ReshapeShapes.Register(r);
        SqueezeShapes.Register(r);
        LayoutShapes.Register(r);
        ConcatSplitShapes.Register(r);
        SliceShapes.Register(r);
        GatherShapes.Register(r);
        ShapeOfShapes.Register(r);
        ExpandTileShapes.Register(r);
        ResizeShapes.Register(r);
        ReduceShapes.Register(r);
        IndexingShapes.Register(r);
        QuantizeShapes.Register(r);
        RecurrentShapes.Register(r);
        LossShapes.Register(r);
        SignalShapes.Register(r);
        return r;
    }
}
