using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Reference;

internal sealed partial class PlanInterpreter
{
    private void Elementwise(ElementwiseStep s)
    {
        var yShape = Buf(s.Y).Shape;
        var maps = s.Inputs.Select(id => Broadcast.SourceIndices(Buf(id).Shape, yShape)).ToArray();
        var integral = HostTensorMath.IsIntegral(Buf(s.Y).Type) && s.Inputs.All(id => HostTensorMath.IsIntegral(Buf(id).Type));
        if (integral)
        {
            var inputs = s.Inputs.Select(Longs).ToArray();
            Store(s.Y, new IntegerExprEvaluator(inputs, maps).Evaluate(s.Expr));
        }
        else
        {
            var inputs = s.Inputs.Select(Floats).ToArray();
            Store(s.Y, new FloatExprEvaluator(inputs, maps).Evaluate(s.Expr));
        }
    }
}
