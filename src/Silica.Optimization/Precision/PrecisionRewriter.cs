using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Precision;

/// <summary>Rewrites the graph to a <see cref="PrecisionPlan"/>: retypes values, converts weights, inserts the boundary Casts.</summary>
internal sealed class PrecisionRewriter(OnnxGraph graph, PrecisionPlan plan, HalfPrecisionOptions options)
{
    private readonly TensorDataType _target = options.Target;
    private readonly Dictionary<(Value, bool), Value> _casts = [];
    private readonly Dictionary<Value, Value> _halfCopies = [];
    private long _clamped;

    public int CastsInserted { get; private set; }

    public int InitializersConverted { get; private set; }

    public long ValuesClamped => _clamped;

    public void Apply()
    {
        // Where each float value lives after the rewrite (true = half), before any type changes.
        var home = new Dictionary<Value, bool>();
        foreach (var input in graph.RuntimeInputs.Where(PrecisionPlan.IsFloat))
        {
            home[input] = !options.KeepIoTypes;
        }
        foreach (var (node, half) in plan.IsHalf)
        {
            foreach (var o in node.Outputs.Where(PrecisionPlan.IsFloat))
            {
                home[o!] = half;
            }
        }
        ConvertInitializers();
        foreach (var (node, half) in plan.IsHalf.ToArray())
        {
            if (!OpPrecisionRules.AnyInputPrecision.Contains(node.OpType) && node.OpType != "Cast")
            {
                for (var i = 0; i < node.Inputs.Count; i++)
                {
                    if (node.Inputs[i] is { } v && PrecisionPlan.IsFloat(v) && !v.IsInitializer)
                    {
                        var want = half && !OpPrecisionRules.IsFloat32Slot(node.OpType, i);
                        var have = home.GetValueOrDefault(v);
                        if (want != have)
                        {
                            graph.ReplaceInput(node, i, CastOf(v, want));
                        }
                    }
                }
            }
            if (half)
            {
                RetypeNode(node);
            }
        }
        foreach (var (v, half) in home)
        {
            if (half && v.Type is { } t)
            {
                v.Type = t with { ElementType = _target };
            }
        }
        FixGraphEdges(home);
    }

    /// <summary>
    /// Every float initializer read only by half nodes becomes half; one read by both keeps its FP32 tensor
    /// and gets a half copy for the half readers; one read only by FP32 nodes stays.
    /// </summary>
    private void ConvertInitializers()
    {
        foreach (var init in graph.Initializers.ToArray())
        {
            if (init.Initializer!.DataType != (int)TensorDataType.Float || init.IsGraphInput || !TensorData.HasData(init.Initializer))
            {
                continue;
            }
            var halfReaders = new List<(Node Node, int Slot)>();
            var floatReaders = 0;
            foreach (var node in init.Consumers.Distinct())
            {
                for (var i = 0; i < node.Inputs.Count; i++)
                {
                    if (node.Inputs[i] != init)
                    {
                        continue;
                    }
                    if (plan.IsHalf.TryGetValue(node, out var half) && half && !OpPrecisionRules.IsFloat32Slot(node.OpType, i))
                    {
                        halfReaders.Add((node, i));
                    }
                    else
                    {
                        floatReaders++;
                    }
                }
            }
            if (halfReaders.Count == 0)
            {
                continue;
            }
            InitializersConverted++;
            if (floatReaders == 0 && !init.IsGraphOutput)
            {
                var converted = HalfTensors.Convert(init.Initializer, init.Name, _target, ref _clamped);
                graph.RemoveInitializer(init);
                graph.AddInitializer(converted);
                continue;
            }
            var copy = graph.AddInitializer(HalfTensors.Convert(init.Initializer, graph.UniqueName(init.Name + Suffix(true)), _target, ref _clamped));
            foreach (var (node, slot) in halfReaders)
            {
                graph.ReplaceInput(node, slot, copy);
            }
        }
    }

    /// <summary>Attributes that name a float type or hold a float tensor follow the node into half precision.</summary>
    private void RetypeNode(Node node)
    {
        if (node.OpType == "Cast" && node.Attributes.GetInt("to", 0) == (long)TensorDataType.Float)
        {
            node.Attributes.Set(Attr.Int("to", (long)_target));
        }
        else if (node.OpType == "ConstantOfShape" && node.Attributes.GetTensor("value") is { DataType: (int)TensorDataType.Float } value)
        {
            node.Attributes.Set(Attr.Tensor("value", HalfTensors.Convert(value, value.Name, _target, ref _clamped)));
        }
        else if (node.OpType == "ConstantOfShape" && !node.Attributes.Has("value"))
        {
            // The default value is a float32 zero.
            node.Attributes.Set(Attr.Tensor("value", TensorData.FromRaw("", _target, [1], new byte[2])));
        }
    }

    /// <summary>Graph outputs keep their name and (with KeepIoTypes) their type; inputs are retyped when asked.</summary>
    private void FixGraphEdges(Dictionary<Value, bool> home)
    {
        if (!options.KeepIoTypes)
        {
            foreach (var input in graph.RuntimeInputs.Where(i => home.GetValueOrDefault(i)))
            {
                input.Type = input.Type! with { ElementType = _target };
            }
        }
        var wantHalf = !options.KeepIoTypes;
        var outputs = graph.Outputs.ToList();
        var changed = false;
        for (var i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            if (!home.TryGetValue(output, out var half) || half == wantHalf || output.Producer is null)
            {
                continue;
            }
            // The producer's value gets a new name (its other readers follow it); a Cast takes over the output's name.
            var name = output.Name;
            graph.RenameValue(output, graph.UniqueName(name + Suffix(half)));
            var cast = graph.AddNode("Cast", [output], [name], [Attr.Int("to", (long)(wantHalf ? _target : TensorDataType.Float))], name: graph.UniqueName(name + "_cast"));
            outputs[i] = cast.Output(0)!;
            outputs[i].Type = output.Type! with { ElementType = wantHalf ? _target : TensorDataType.Float };
            CastsInserted++;
            changed = true;
        }
        if (changed)
        {
            graph.ClearOutputs();
            foreach (var o in outputs)
            {
                graph.AddOutput(o);
            }
        }
    }

    private Value CastOf(Value v, bool toHalf)
    {
        if (!_casts.TryGetValue((v, toHalf), out var cast))
        {
            var name = graph.UniqueName(v.Name + Suffix(toHalf));
            var node = graph.AddNode("Cast", [v], [name], [Attr.Int("to", (long)(toHalf ? _target : TensorDataType.Float))], name: graph.UniqueName(name + "_cast"));
            cast = node.Output(0)!;
            cast.Type = v.Type! with { ElementType = toHalf ? _target : TensorDataType.Float };
            _casts[(v, toHalf)] = cast;
            CastsInserted++;
        }
        return cast;
    }

    private string Suffix(bool half) => half ? (_target == TensorDataType.Float16 ? "_fp16" : "_bf16") : "_fp32";
}
