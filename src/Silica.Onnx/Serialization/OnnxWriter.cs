using Google.Protobuf;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Serialization;

/// <summary>Writes models as ONNX protobuf, optionally moving large tensors to an external data file.</summary>
internal static class OnnxWriter
{
    public static ModelProto ToProto(OnnxModel model, OnnxWriteOptions? options)
    {
        var proto = model.Shell.Clone();
        proto.Graph = model.Graph.ToProto(options?.IncludeInferredTypes ?? false);
        return proto;
    }

    public static void WriteFile(OnnxModel model, string path, OnnxWriteOptions? options)
    {
        options ??= new OnnxWriteOptions();
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        var proto = ToProto(model, options);
        // A tensor whose data was left in its file (OnnxReadOptions.LoadExternalData = false) cannot be saved:
        // its location is relative to the old folder, and re-using the data file name would truncate the data.
        if (OnnxReader.AllTensors(proto.Graph).FirstOrDefault(t => t.DataLocation == TensorProto.Types.DataLocation.External) is { } unloaded)
        {
            throw new InvalidOperationException(
                $"tensor '{unloaded.Name}' still keeps its data in an external file; load the model with LoadExternalData = true before saving it");
        }

        string? dataTemp = null;
        string? dataFinal = null;
        try
        {
            if (options.ExternalDataFileName is { } dataName)
            {
                if (dataName.Length == 0 || dataName.IndexOfAny(['/', '\\', '\0']) >= 0 || dataName is "." or "..")
                {
                    throw new ArgumentException($"external data file name '{dataName}' must be a plain file name", nameof(options));
                }
                dataFinal = Path.Combine(directory, dataName);
                dataTemp = TempPathFor(dataFinal);
                using var data = new FileStream(dataTemp, FileMode.CreateNew, FileAccess.Write);
                // The graph message shares nodes and tensors with the IR: work on a copy (byte fields are
                // immutable and shared, so this copies no tensor data). Constant-node tensors move too:
                // exporters such as Paddle2ONNX keep every weight in Constant nodes, and ONNX allows
                // external data in any TensorProto.
                proto.Graph = proto.Graph.Clone();
                foreach (var t in OnnxReader.AllTensors(proto.Graph))
                {
                    if (t.DataLocation == TensorProto.Types.DataLocation.External
                        || TensorData.ByteSize(t) < Math.Max(1, options.ExternalDataThreshold) || TensorData.ToRawBytes(t) is not { } raw)
                    {
                        continue;
                    }
                    // Keep tensors page-aligned in the data file so a runtime can map them directly.
                    var offset = (data.Position + 4095) / 4096 * 4096;
                    data.SetLength(offset);
                    data.Position = offset;
                    data.Write(raw);
                    t.ClearRawData();
                    t.FloatData.Clear();
                    t.DoubleData.Clear();
                    t.Int32Data.Clear();
                    t.Int64Data.Clear();
                    t.Uint64Data.Clear();
                    t.DataLocation = TensorProto.Types.DataLocation.External;
                    t.ExternalData.Clear();
                    t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataName });
                    t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = raw.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                }
            }

            var temp = TempPathFor(full);
            try
            {
                using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    proto.WriteTo(f);
                }
                if (dataTemp is not null)
                {
                    File.Move(dataTemp, dataFinal!, overwrite: true);
                    dataTemp = null;
                }
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
        }
        finally
        {
            if (dataTemp is not null)
            {
                File.Delete(dataTemp);
            }
        }
    }

    private static string TempPathFor(string final) =>
        Path.Combine(Path.GetDirectoryName(final) ?? ".", $".{Path.GetFileName(final)}.{Guid.NewGuid():N}.tmp");
}
