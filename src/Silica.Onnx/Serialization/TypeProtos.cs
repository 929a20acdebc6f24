using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Serialization;

/// <summary>Converts between ONNX <see cref="TypeProto"/> messages and <see cref="TensorType"/>.</summary>
public static class TypeProtos
{
    /// <summary>
    /// The tensor type a <see cref="TypeProto"/> declares, or null for non-tensor types (sequences, maps, optionals).
    /// </summary>
    public static TensorType? ToTensorType(TypeProto? type)
    {
        if (type is null)
        {
            return null;
        }
        TypeProto.Types.Tensor? t = type.ValueCase switch
        {
            TypeProto.ValueOneofCase.TensorType => type.TensorType,
            _ => null,
        };
        if (t is null)
        {
            if (type.ValueCase == TypeProto.ValueOneofCase.SparseTensorType)
            {
                return new TensorType((TensorDataType)type.SparseTensorType.ElemType, ToShape(type.SparseTensorType.Shape));
            }
            return null;
        }
        return new TensorType((TensorDataType)t.ElemType, t.Shape is null ? null : ToShape(t.Shape));
    }

    /// <summary>The shape a <see cref="TensorShapeProto"/> declares; null when absent.</summary>
    public static TensorShape? ToShape(TensorShapeProto? shape)
    {
        if (shape is null)
        {
            return null;
        }
        var dims = new Dim[shape.Dim.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            var d = shape.Dim[i];
            dims[i] = d.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue when d.DimValue >= 0 => Dim.Of(d.DimValue),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when d.DimParam.Length > 0 => Dim.Named(d.DimParam),
                _ => Dim.Unknown,
            };
        }
        return new TensorShape(dims);
    }

    /// <summary>A <see cref="TypeProto"/> declaring the given tensor type.</summary>
    public static TypeProto ToProto(TensorType type)
    {
        var t = new TypeProto.Types.Tensor { ElemType = (int)type.ElementType };
        if (type.Shape is not null)
        {
            var s = new TensorShapeProto();
            foreach (var d in type.Shape)
            {
                var pd = new TensorShapeProto.Types.Dimension();
                if (d.IsKnown)
                {
                    pd.DimValue = d.KnownValue;
                }
                else if (d.IsSymbolic)
                {
                    pd.DimParam = d.Symbol;
                }
                s.Dim.Add(pd);
            }
            t.Shape = s;
        }
        return new TypeProto { TensorType = t };
    }

    /// <summary>The type of an initializer tensor.</summary>
    public static TensorType OfTensor(TensorProto tensor) =>
        new((TensorDataType)tensor.DataType, TensorShape.Of([.. tensor.Dims.Select(d => Math.Max(d, 0))]));
}
