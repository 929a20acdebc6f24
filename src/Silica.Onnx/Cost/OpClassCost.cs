namespace Silica.Onnx.Cost;

/// <summary>Totals for one operator class.</summary>
/// <param name="Count">Nodes of the class.</param>
/// <param name="Flops">Their FLOPs.</param>
/// <param name="Bytes">Their bytes read plus written.</param>
public sealed record OpClassCost(int Count, double Flops, long Bytes);
