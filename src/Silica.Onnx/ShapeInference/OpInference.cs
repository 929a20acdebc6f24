namespace Silica.Onnx.ShapeInference;

/// <summary>Infers one node's output types (and, for shape arithmetic, values) from its inputs.</summary>
internal delegate void OpInference(NodeContext context);
