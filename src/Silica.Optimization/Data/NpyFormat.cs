using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Silica.Onnx.Model;

namespace Silica.Optimization.Data;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1, 2 and 3): the <c>\x93NUMPY</c> magic, a header
/// length, a Python-dict header with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, then the raw array.
/// Only little-endian (or byte-order-free) numeric and bool arrays in C order are accepted; Silica does not
/// byte-swap or transpose silently.
/// </summary>
internal static class NpyFormat
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private static readonly Dictionary<string, TensorDataType> Descriptors = new(StringComparer.Ordinal)
    {
        ["f4"] = TensorDataType.Float,
        ["f2"] = TensorDataType.Float16,
        ["f8"] = TensorDataType.Double,
        ["i1"] = TensorDataType.Int8,
        ["i2"] = TensorDataType.Int16,
        ["i4"] = TensorDataType.Int32,
        ["i8"] = TensorDataType.Int64,
        ["u1"] = TensorDataType.UInt8,
        ["u2"] = TensorDataType.UInt16,
        ["u4"] = TensorDataType.UInt32,
        ["u8"] = TensorDataType.UInt64,
        ["b1"] = TensorDataType.Bool,
    };

    /// <summary>Reads a whole <c>.npy</c> file.</summary>
    /// <exception cref="SampleDataException">The file is not a supported NPY array; the message names the file.</exception>
    public static RawTensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new SampleDataException($"'{path}' is not a usable .npy file: {e.Message}");
        }
    }

    /// <summary>Parses the bytes of an <c>.npy</c> file.</summary>
    /// <exception cref="FormatException">Bad magic, version, header, dtype, order or data length.</exception>
    public static RawTensor Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw new FormatException("it does not start with the NPY magic \\x93NUMPY");
        }
        var major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                headerStart = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12)
                {
                    throw new FormatException("the header is truncated");
                }
                var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
                if (length > int.MaxValue - 12)
                {
                    throw new FormatException($"the header length {length} is impossible");
                }
                headerLength = (int)length;
                headerStart = 12;
                break;
            default:
                throw new FormatException($"format version {major}.{bytes[7]} is not supported (1, 2 and 3 are)");
        }
        if (headerStart + headerLength > bytes.Length)
        {
            throw new FormatException($"the header claims {headerLength} bytes but the file has {bytes.Length - headerStart} after the preamble");
        }
        // Version 3 allows UTF-8 in the header (structured field names); 1 and 2 are Latin-1, a subset for what we read.
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(headerStart, headerLength));
        var (type, shape) = ParseHeader(header);
        var data = bytes[(headerStart + headerLength)..];
        long count = 1;
        foreach (var d in shape)
        {
            count = checked(count * d);
        }
        var expected = type.ByteCount(count);
        if (data.Length != expected)
        {
            throw new FormatException($"{type.DisplayName()}[{string.Join(",", shape)}] needs {expected} data bytes, the file has {data.Length}");
        }
        return new RawTensor(type, shape, data.ToArray());
    }

    /// <summary>Writes an array as an NPY version 1 file (used by tests and by tools that export samples).</summary>
    public static byte[] Format(TensorDataType type, ReadOnlySpan<long> shape, ReadOnlySpan<byte> data)
    {
        var descr = Descriptors.First(kv => kv.Value == type).Key;
        var order = descr[0] is 'b' || descr.EndsWith('1') ? '|' : '<';
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.ToArray());
        var dict = $"{{'descr': '{order}{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // Pad with spaces so the data starts on a 64-byte boundary, ending the header with a newline, as NumPy does.
        var total = 10 + dict.Length + 1;
        var padded = dict + new string(' ', (64 - (total % 64)) % 64) + "\n";
        var result = new byte[10 + padded.Length + data.Length];
        Magic.CopyTo(result, 0);
        result[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)padded.Length);
        Encoding.Latin1.GetBytes(padded, result.AsSpan(10));
        data.CopyTo(result.AsSpan(10 + padded.Length));
        return result;
    }

    private static (TensorDataType Type, long[] Shape) ParseHeader(string header)
    {
        var descr = StringValue(header, "descr");
        if (descr.Length != 3)
        {
            throw new FormatException($"dtype '{descr}' is not a plain numeric type (structured and string arrays are not inputs)");
        }
        var order = descr[0];
        if (order == '>')
        {
            throw new FormatException($"dtype '{descr}' is big-endian; save it little-endian (arr.astype('<{descr[1..]}'))");
        }
        if (order is not ('<' or '|' or '='))
        {
            throw new FormatException($"dtype '{descr}' has an unknown byte order '{order}'");
        }
        if (!Descriptors.TryGetValue(descr[1..], out var type))
        {
            throw new FormatException($"dtype '{descr}' is not supported (f2, f4, f8, i1-i8, u1-u8 and b1 are)");
        }
        var fortran = RawValue(header, "fortran_order");
        if (fortran.StartsWith("True", StringComparison.Ordinal))
        {
            throw new FormatException("the array is in Fortran order; save it in C order (np.ascontiguousarray)");
        }
        if (!fortran.StartsWith("False", StringComparison.Ordinal))
        {
            throw new FormatException($"fortran_order is '{fortran}', not True or False");
        }
        var shapeText = RawValue(header, "shape");
        if (!shapeText.StartsWith('('))
        {
            throw new FormatException("shape is not a tuple");
        }
        var close = shapeText.IndexOf(')', StringComparison.Ordinal);
        if (close < 0)
        {
            throw new FormatException("shape tuple is not closed");
        }
        var parts = shapeText[1..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            // NumPy may write 3L on old Python 2 files.
            var p = parts[i].TrimEnd('L');
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new FormatException($"shape entry '{parts[i]}' is not a non-negative integer");
            }
        }
        return (type, shape);
    }

    private static string StringValue(string header, string key)
    {
        var raw = RawValue(header, key);
        var quote = raw.Length > 0 ? raw[0] : '\0';
        if (quote is not ('\'' or '"'))
        {
            throw new FormatException($"'{key}' is not a string");
        }
        var end = raw.IndexOf(quote, 1);
        return end < 0 ? throw new FormatException($"'{key}' is not a closed string") : raw[1..end];
    }

    private static string RawValue(string header, string key)
    {
        foreach (var quote in new[] { '\'', '"' })
        {
            var token = $"{quote}{key}{quote}";
            var at = header.IndexOf(token, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var colon = header.IndexOf(':', at + token.Length);
            if (colon < 0)
            {
                break;
            }
            return header[(colon + 1)..].TrimStart();
        }
        throw new FormatException($"the header has no '{key}' entry");
    }
}
