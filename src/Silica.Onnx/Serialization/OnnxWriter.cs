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
                var initializers = proto.Graph.Initializer;
                for (var i = 0; i < initializers.Count; i++)
                {
                    var t = initializers[i];
                    if (TensorData.ByteSize(t) < Math.Max(1, options.ExternalDataThreshold) || TensorData.ToRawBytes(t) is not { } raw)
                    {
                        continue;
                    }
                    // Keep tensors page-aligned in the data file so a runtime can map them directly.
                    var offset = (data.Position + 4095) / 4096 * 4096;
                    data.SetLength(offset);
                    data.Position = offset;
                    data.Write(raw);
                    var moved = t.Clone();
                    moved.ClearRawData();
                    moved.FloatData.Clear();
                    moved.DoubleData.Clear();
                    moved.Int32Data.Clear();
                    moved.Int64Data.Clear();
                    moved.Uint64Data.Clear();
                    moved.DataLocation = TensorProto.Types.DataLocation.External;
                    moved.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataName });
                    moved.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    moved.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = raw.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    initializers[i] = moved;
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
