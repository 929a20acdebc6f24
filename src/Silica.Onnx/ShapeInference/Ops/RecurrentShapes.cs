using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>RNN, GRU and LSTM: outputs sized by sequence length, directions, batch and hidden_size.</summary>
internal static class RecurrentShapes
{
    public static void Register(OpRegistry r) => r.Add(["RNN", "GRU", "LSTM"], Recurrent);

    private static void Recurrent(NodeContext c)
    {
        var x = c.InputShape(0);
        if (x.Rank != 3)
        {
            throw c.Fail($"input must be rank 3, got {x}");
        }
        var hidden = c.Attributes.GetInt("hidden_size", -1);
        var hiddenDim = hidden > 0 ? Dim.Of(hidden) : c.InputShape(2) is { Rank: 3 } rw ? rw[2] : Dim.Unknown;
        var directions = Dim.Of(c.Attributes.GetString("direction", "forward") == "bidirectional" ? 2 : 1);
        // layout=1 puts batch first: X [batch, seq, input], Y [batch, seq, dirs, hidden], Y_h [batch, dirs, hidden].
        var batchFirst = c.Attributes.GetInt("layout", 0) != 0;
        var (seq, batch) = batchFirst ? (x[1], x[0]) : (x[0], x[1]);
        var type = c.InputElementType(0);
        c.SetOutput(0, type, batchFirst ? new TensorShape(batch, seq, directions, hiddenDim) : new TensorShape(seq, directions, batch, hiddenDim));
        var state = batchFirst ? new TensorShape(batch, directions, hiddenDim) : new TensorShape(directions, batch, hiddenDim);
        c.SetOutput(1, type, state);
        c.SetOutput(2, type, state);
    }
}
