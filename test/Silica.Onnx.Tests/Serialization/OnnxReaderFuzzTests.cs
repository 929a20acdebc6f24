using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;
using Silica.Tests;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.Serialization;

/// <summary>
/// Feeds mutated copies of real model files to the reader: each must load or fail with
/// <see cref="OnnxFormatException"/> — no other exception, no hang, no allocation driven by a declared length.
/// </summary>
public sealed class OnnxReaderFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerSeed = 1200;

    [Fact]
    public void Load_MutatedRealModels_LoadOrFormatExceptionOnly()
    {
        var seeds = new List<(string Name, byte[] Bytes, int Weight)>
        {
            ("cls", File.ReadAllBytes(TestData.OcrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx")), 6),
            ("det", File.ReadAllBytes(TestData.OcrModel("ch_PP-OCRv4_det_infer.onnx")), 1),
        };
        foreach (var dir in new[] { "node/test_conv_with_strides_padding", "node/test_gemm_default_scalar_bias", "node/test_loop11", "node/test_if_seq", "simple/test_expand_shape_model1", "pytorch-converted/test_Conv2d" })
        {
            var path = Path.Combine(TestData.OnnxBackendData, dir, "model.onnx");
            Assert.True(File.Exists(path), $"seed model missing: {dir}");
            seeds.Add((dir, File.ReadAllBytes(path), 3));
        }
        var schedule = seeds.SelectMany(s => Enumerable.Repeat(s, s.Weight)).ToArray();
        var rng = new Random(20261123);
        int loaded = 0, rejected = 0;
        var failures = new List<string>();
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var (name, bytes, _) = schedule[i % schedule.Length];
            var (kind, mutated) = Mutate(bytes, rng, i);
            var outcome = RunCase(mutated);
            switch (outcome)
            {
                case "loaded":
                    loaded++;
                    break;
                case "rejected":
                    rejected++;
                    break;
                default:
                    failures.Add($"case {i} ({name}, {kind}): {outcome}");
                    break;
            }
        }
        output.WriteLine($"{CasesPerSeed} mutated files: {loaded} loaded, {rejected} rejected with OnnxFormatException, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(rejected > CasesPerSeed / 4, "most mutations should be rejected; the mutator may be broken");
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is a text file, not a model\n")]
    [InlineData("\u0008\u0007\u0012\u0000")]
    public void Load_NotAModel_FormatException(string text)
    {
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private static string RunCase(byte[] bytes)
    {
        var task = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var model = OnnxModel.Load(bytes);
                model.Graph.TopologicalOrder();
                model.ToBytes();
                ShapeInferencer.Infer(model);
                return Check(before, bytes.Length, "loaded");
            }
            catch (OnnxFormatException)
            {
                return Check(before, bytes.Length, "rejected");
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        return task.Wait(TimeSpan.FromSeconds(20)) ? task.Result : "hang (over 20 s)";
    }

    private static string Check(long before, int size, string outcome)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Parsing copies the file, builds the IR and re-serializes: a small multiple of the file size.
        var limit = 8L * size + 64 * 1024 * 1024;
        return allocated > limit ? $"allocated {allocated} bytes for a {size}-byte file" : outcome;
    }

    private static (string Kind, byte[] Bytes) Mutate(byte[] source, Random rng, int i)
    {
        var b = (byte[])source.Clone();
        switch (i % 6)
        {
            case 0:
                for (var k = rng.Next(1, 9); k > 0; k--)
                {
                    b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                }
                return ("bit flips", b);
            case 1:
                return ("truncation", b[..rng.Next(b.Length)]);
            case 2:
                return ("inflated length", InflateLength(b, rng));
            case 3:
                for (var k = rng.Next(1, 64); k > 0; k--)
                {
                    b[rng.Next(b.Length)] = (byte)rng.Next(256);
                }
                return ("random bytes", b);
            case 4:
                var garbage = new byte[rng.Next(1, 4096)];
                rng.NextBytes(garbage);
                return ("garbage", garbage);
            default:
                var start = rng.Next(b.Length);
                var len = Math.Min(rng.Next(1, 256), b.Length - start);
                rng.NextBytes(b.AsSpan(start, len));
                return ("overwritten run", b);
        }
    }

    /// <summary>Finds a length-delimited field (wire type 2) and replaces its length varint with a huge one.</summary>
    private static byte[] InflateLength(byte[] b, Random rng)
    {
        var fields = new List<(int TagEnd, int LengthEnd)>();
        // Walk the top-level fields, and the fields of the graph (field 7) one level down.
        Walk(b, 0, b.Length, fields, depth: 0);
        if (fields.Count == 0)
        {
            return b;
        }
        var (tagEnd, lengthEnd) = fields[rng.Next(fields.Count)];
        var huge = rng.Next(3) switch { 0 => 0x7FFF_FFFFL, 1 => 0xFFFF_FFFF_FFFFL, _ => (long)b.Length * 1000 };
        var varint = new List<byte>();
        var v = (ulong)huge;
        do
        {
            var x = (byte)(v & 0x7F);
            v >>= 7;
            varint.Add(v != 0 ? (byte)(x | 0x80) : x);
        }
        while (v != 0);
        return [.. b[..tagEnd], .. varint, .. b[lengthEnd..]];
    }

    private static void Walk(byte[] b, int start, int end, List<(int, int)> fields, int depth)
    {
        var pos = start;
        while (pos < end)
        {
            if (!ReadVarint(b, ref pos, end, out var tag))
            {
                return;
            }
            var wire = (int)(tag & 7);
            var field = (int)(tag >> 3);
            var tagEnd = pos;
            switch (wire)
            {
                case 0:
                    if (!ReadVarint(b, ref pos, end, out _))
                    {
                        return;
                    }
                    break;
                case 1:
                    pos += 8;
                    break;
                case 5:
                    pos += 4;
                    break;
                case 2:
                    if (!ReadVarint(b, ref pos, end, out var len) || len > (ulong)(end - pos))
                    {
                        return;
                    }
                    fields.Add((tagEnd, pos));
                    if (depth == 0 && field == 7)
                    {
                        Walk(b, pos, pos + (int)len, fields, depth + 1);
                    }
                    pos += (int)len;
                    break;
                default:
                    return;
            }
        }
    }

    private static bool ReadVarint(byte[] b, ref int pos, int end, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && pos < end; shift += 7)
        {
            var x = b[pos++];
            value |= (ulong)(x & 0x7F) << shift;
            if ((x & 0x80) == 0)
            {
                return true;
            }
        }
        return false;
    }
}
