using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Silica.Onnx.Model;
using Silica.Optimization.Data;

namespace Silica.Optimization.Tests.Data;

public sealed class NpyFormatTests
{
    [Theory]
    [InlineData(TensorDataType.Float, "<f4")]
    [InlineData(TensorDataType.Float16, "<f2")]
    [InlineData(TensorDataType.Double, "<f8")]
    [InlineData(TensorDataType.Int64, "<i8")]
    [InlineData(TensorDataType.Int32, "<i4")]
    [InlineData(TensorDataType.UInt8, "|u1")]
    [InlineData(TensorDataType.Int8, "|i1")]
    [InlineData(TensorDataType.Bool, "|b1")]
    public void Parse_EachDtype_RoundTripsTypeShapeAndBytes(TensorDataType type, string descr)
    {
        long[] shape = [2, 3];
        var data = new byte[type.ByteCount(6)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = type == TensorDataType.Bool ? (byte)(i % 2) : (byte)(i * 7);
        }
        var file = NpyFormat.Format(type, shape, data);
        Assert.Contains($"'descr': '{descr}'", Encoding.Latin1.GetString(file), StringComparison.Ordinal);

        var raw = NpyFormat.Parse(file);

        Assert.Equal(type, raw.ElementType);
        Assert.Equal(shape, raw.Shape);
        Assert.Equal(data, raw.Data);
    }

    [Fact]
    public void Parse_Version1Float_ReadsValuesInCOrder()
    {
        float[] values = [1.5f, -2f, 3.25f, 0f];
        var raw = NpyFormat.Parse(NpyFormat.Format(TensorDataType.Float, [2, 2], MemoryMarshal.AsBytes(values.AsSpan())));
        Assert.Equal(values, MemoryMarshal.Cast<byte, float>(raw.Data).ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Parse_Version2And3Headers_UseFourByteLength(byte major)
    {
        var file = Build(major, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", new byte[24]);
        var raw = NpyFormat.Parse(file);
        Assert.Equal(TensorDataType.Int64, raw.ElementType);
        Assert.Equal([3L], raw.Shape);
    }

    [Fact]
    public void Parse_ScalarShape_HasRankZero()
    {
        var raw = NpyFormat.Parse(Build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[4]));
        Assert.Empty(raw.Shape);
    }

    [Theory]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "big-endian")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8, "Fortran order")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16, "not supported")]
    [InlineData("{'descr': '<U10', 'fortran_order': False, 'shape': (2,), }", 80, "not a plain numeric type")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 8, "needs 12 data bytes, the file has 8")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", 8, "no 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8, "not a non-negative integer")]
    public void Parse_BadHeader_SaysWhat(string header, int dataBytes, string expected)
    {
        var e = Assert.Throws<FormatException>(() => NpyFormat.Parse(Build(1, header, new byte[dataBytes])));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotNpy_RejectsMagic()
    {
        var e = Assert.Throws<FormatException>(() => NpyFormat.Parse("hello, this is text"u8));
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderLengthBeyondFile_Rejected()
    {
        var file = Build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 60000);
        Assert.Throws<FormatException>(() => NpyFormat.Parse(file));
    }

    [Fact]
    public void Read_BadFile_SampleDataExceptionNamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"silica-npy-{Guid.NewGuid():N}.npy");
        File.WriteAllText(path, "not numpy");
        try
        {
            var e = Assert.Throws<SampleDataException>(() => NpyFormat.Read(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Build(byte major, string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header + "\n");
        var pre = major == 1 ? 10 : 12;
        var file = new byte[pre + h.Length + data.Length];
        byte[] magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        magic.CopyTo(file, 0);
        file[6] = major;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)h.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)h.Length);
        }
        h.CopyTo(file, pre);
        data.CopyTo(file, pre + h.Length);
        return file;
    }
}
