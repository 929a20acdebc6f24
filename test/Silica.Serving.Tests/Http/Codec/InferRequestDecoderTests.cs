using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Http.Codec;

namespace Silica.Serving.Tests.Http.Codec;

public sealed class InferRequestDecoderTests
{
    private static DecodedInferRequest Decode(string json) =>
        InferRequestDecoder.Decode(Encoding.UTF8.GetBytes(json), null, "m", null, 64);

    private static string One(string datatype, string data, string shape = "[1]") =>
        $$"""{"inputs":[{"name":"t","shape":{{shape}},"datatype":"{{datatype}}","data":{{data}}}]}""";

    [Theory]
    [InlineData("BOOL", "[true]", new byte[] { 1 })]
    [InlineData("UINT8", "[255]", new byte[] { 255 })]
    [InlineData("INT8", "[-128]", new byte[] { 0x80 })]
    [InlineData("UINT16", "[65535]", new byte[] { 0xFF, 0xFF })]
    [InlineData("INT16", "[-2]", new byte[] { 0xFE, 0xFF })]
    [InlineData("UINT32", "[4294967295]", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData("INT32", "[-1]", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData("UINT64", "[18446744073709551615]", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData("INT64", "[1]", new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("FP16", "[1.0]", new byte[] { 0x00, 0x3C })]
    [InlineData("BF16", "[1.0]", new byte[] { 0x80, 0x3F })]
    [InlineData("FP32", "[1.0]", new byte[] { 0, 0, 0x80, 0x3F })]
    [InlineData("FP64", "[1.0]", new byte[] { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F })]
    public void Decode_EveryDatatype_LittleEndianBytes(string datatype, string data, byte[] expected)
    {
        var t = Assert.Single(Decode(One(datatype, data)).Request.Inputs);

        Assert.Equal(expected, t.Data.ToArray());
        Assert.Equal(datatype, OipDatatypes.Name(t.ElementType));
    }

    [Theory]
    [InlineData("BOOL", "[2]")]
    [InlineData("BOOL", "[1]")]
    [InlineData("UINT8", "[256]")]
    [InlineData("UINT8", "[-1]")]
    [InlineData("INT8", "[128]")]
    [InlineData("UINT16", "[65536]")]
    [InlineData("INT16", "[32768]")]
    [InlineData("UINT32", "[4294967296]")]
    [InlineData("INT32", "[2147483648]")]
    [InlineData("INT32", "[1.5]")]
    [InlineData("UINT64", "[18446744073709551616]")]
    [InlineData("INT64", "[9223372036854775808]")]
    [InlineData("FP16", "[65520]")]
    [InlineData("BF16", "[1e39]")]
    [InlineData("FP32", "[3.5e38]")]
    [InlineData("FP64", "[1e309]")]
    [InlineData("FP32", "[\"1\"]")]
    [InlineData("INT64", "[true]")]
    [InlineData("FP32", "[{}]")]
    public void Decode_OutOfRangeOrWrongKind_Refused(string datatype, string data)
    {
        var e = Assert.Throws<InvalidRequestException>(() => Decode(One(datatype, data)));

        Assert.Contains("input 't': element 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MembersInAnyOrder_DataBeforeShapeAndType()
    {
        var t = Decode("""{"inputs":[{"data":[[1,2],[3,4]],"datatype":"INT32","shape":[2,2],"name":"t"}],"id":"q"}""").Request.Inputs[0];

        Assert.Equal([2L, 2L], t.Shape);
        Assert.Equal(16, t.Data.Length);
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(t.Data.Span[12..]));
    }

    [Fact]
    public void Decode_TypeAndShapeFirst_DecodedInOnePass_EqualsDataFirst()
    {
        // Shape and datatype before data take the one-pass path; data first takes the two-pass path. Same bytes.
        var random = new Random(7);
        var values = Enumerable.Range(0, 24).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var nested = "[" + string.Join(",", values.Chunk(6).Select(row => JsonSerializer.Serialize(row))) + "]";

        var onePass = Decode($$"""{"inputs":[{"name":"t","shape":[4,6],"datatype":"FP32","data":{{nested}}}]}""").Request.Inputs[0];
        var twoPass = Decode($$"""{"inputs":[{"data":{{nested}},"name":"t","shape":[4,6],"datatype":"FP32"}]}""").Request.Inputs[0];

        Assert.Equal(twoPass.Data.ToArray(), onePass.Data.ToArray());
        Assert.Equal(values.SelectMany(BitConverter.GetBytes).ToArray(), onePass.Data.ToArray());
    }

    [Theory]
    [InlineData("[1,2,3]", "needs 2 values, the data holds 3")]
    [InlineData("[1]", "needs 2 values, the data holds 1")]
    [InlineData("[1,{}]", "element 1 (an object)")]
    [InlineData("[[1,2],[3]]", "needs 2 values, the data holds 3")]
    [InlineData("[1,\"x\",3]", "needs 2 values, the data holds 3")]
    public void Decode_TypeAndShapeFirst_MismatchOrBadValue_SameMessagesAsTwoPass(string data, string fragment)
    {
        var e = Assert.Throws<InvalidRequestException>(() => Decode(One("FP32", data, "[2]")));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DatatypeRepeatedAfterData_LastOneWins()
    {
        // Decoded as FP32 during the pass, then the datatype changes: the one-pass result must not be used.
        var t = Decode("""{"inputs":[{"name":"t","shape":[2],"datatype":"FP32","data":[1,2],"datatype":"INT32"}]}""").Request.Inputs[0];

        Assert.Equal(TensorDataType.Int32, t.ElementType);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(t.Data.Span[4..]));
    }

    [Fact]
    public void Decode_UnknownMembersAndParameters_Skipped()
    {
        var d = Decode("""{"extra":{"deep":[1,{"a":2}]},"parameters":{"binary_data_output":true,"other":"x"},"inputs":[{"name":"t","shape":[1],"datatype":"FP32","data":[0.5],"parameters":{"z":1}}],"outputs":[{"name":"y"}]}""");

        Assert.True(d.BinaryDataOutput);
        Assert.True(Assert.Single(d.Request.Outputs!).Binary);
    }

    [Fact]
    public void Decode_Fp32_RoundTripsEveryBit()
    {
        var values = new[] { 1.0f / 3, float.Epsilon, float.MaxValue, -0.0f, 1e-38f, 123456.789f };
        var json = JsonSerializer.Serialize(values);

        var t = Decode(One("FP32", json, $"[{values.Length}]")).Request.Inputs[0];

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(values[i]), BinaryPrimitives.ReadInt32LittleEndian(t.Data.Span[(i * 4)..]));
        }
    }

    [Fact]
    public void Decode_Binary_SlicesInInputOrder()
    {
        var json = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"a","shape":[2],"datatype":"INT16","parameters":{"binary_data_size":4}},{"name":"b","shape":[1],"datatype":"UINT8","parameters":{"binary_data_size":1}}]}""");
        var body = json.Concat(new byte[] { 1, 0, 2, 0, 9 }).ToArray();

        var inputs = InferRequestDecoder.Decode(body, json.Length, "m", "1", 64).Request.Inputs;

        Assert.Equal(new byte[] { 1, 0, 2, 0 }, inputs[0].Data.ToArray());
        Assert.Equal(new byte[] { 9 }, inputs[1].Data.ToArray());
    }

    [Fact]
    public void Decode_BinaryBoolNotZeroOrOne_Refused()
    {
        var json = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"a","shape":[2],"datatype":"BOOL","parameters":{"binary_data_size":2}}]}""");

        var e = Assert.Throws<InvalidRequestException>(() => InferRequestDecoder.Decode(json.Concat(new byte[] { 1, 7 }).ToArray(), json.Length, "m", null, 64));

        Assert.Contains("element 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_HugeDeclaredShape_RefusedWithoutAllocating()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<InvalidRequestException>(() => Decode(One("FP64", "[0]", "[100000000]")));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Decode_DepthOverLimit_JsonException()
    {
        var deep = new string('[', 100) + "1" + new string(']', 100);

        Assert.ThrowsAny<JsonException>(() => Decode(One("FP32", deep)));
    }

    [Theory]
    [InlineData("""{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}""", "has no name")]
    [InlineData("""{"inputs":[{"name":"t","datatype":"FP32","data":[1]}]}""", "has no shape")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1],"data":[1]}]}""", "has no datatype")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1.5],"datatype":"FP32","data":[1]}]}""", "integers")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1],"datatype":"FP32"}]}""", "neither")]
    [InlineData("""{"inputs":[]}""", "no inputs")]
    [InlineData("""{"inputs":[{"name":"t","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{}]}""", "has no name")]
    public void Decode_Incomplete_NamesWhatIsMissing(string json, string fragment)
    {
        var e = Assert.Throws<InvalidRequestException>(() => Decode(json));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, (ushort)0x3F80)]
    [InlineData(1.00390625, (ushort)0x3F80)]
    [InlineData(1.01171875, (ushort)0x3F82)]
    [InlineData(-2.0, (ushort)0xC000)]
    public void BFloat16_RoundsToNearestEven(double value, ushort bits)
    {
        Assert.True(BFloat16Bits.TryFromDouble(value, out var actual));
        Assert.Equal(bits, actual);
    }

    [Fact]
    public void Element_Type_Names_RoundTrip()
    {
        foreach (var name in new[] { "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BF16" })
        {
            Assert.Equal(name, OipDatatypes.Name(OipDatatypes.ParseDense(name)!.Value));
        }
        Assert.Null(OipDatatypes.ParseDense("FP8"));
        Assert.Equal(TensorDataType.Float, OipDatatypes.ParseDense("FP32"));
    }
}
