using System.Runtime.InteropServices;
using Silica.Onnx.Model;

namespace Silica.FunctionalTests.Cli;

/// <summary>Runs <c>silica optimize</c> as a user would; on every failure the output file must be absent or unchanged.</summary>
public sealed class OptimizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("silica-optimize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--precision", "int4")]
    [InlineData("--precision", "fp16", "--accuracy-budget", "lots")]
    [InlineData("--precision", "fp16", "--accuracy-budget", "150%")]
    [InlineData("--precision", "fp16", "--accuracy-budget", "-1%")]
    [InlineData("--precision", "int8", "--method", "median")]
    [InlineData("--precision", "fp16", "--passes", "no-such-pass")]
    [InlineData("--precision", "int8", "--calibration", "synthetic:0")]
    [InlineData("--precision", "fp16", "--preprocess", "sharpen")]
    [InlineData("--precision", "fp16", "--keep-fp32-ops", "Soft max")]
    [InlineData("--precision", "fp16", "--bind", "batch=4")]
    public async Task Optimize_BadArgument_OneLineErrorAndOldOutputKept(params string[] args)
    {
        var output = OldOutput();
        var r = await CliRunner.RunAsync(["optimize", "zoo:mlp", "-o", output, .. args]);
        CliRunner.AssertOneLineError(r);
        Assert.Equal("old", await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task Optimize_UnknownPrecision_NamesTheChoices()
    {
        var r = await CliRunner.RunAsync("optimize", "zoo:mlp", "--precision", "int4", "-o", Path.Combine(_dir, "out.onnx"));
        CliRunner.AssertOneLineError(r);
        Assert.Contains("fp16, bf16, int8, int8-dynamic, fp8", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out.onnx")));
    }

    [Fact]
    public async Task Optimize_MissingOutputFlag_OneLineError()
    {
        var r = await CliRunner.RunAsync("optimize", "zoo:mlp", "--precision", "fp16");
        CliRunner.AssertOneLineError(r);
    }

    [Fact]
    public async Task Optimize_EmptyCalibrationFolder_OneLineErrorNoOutput()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "calib")).FullName;
        var output = Path.Combine(_dir, "out.onnx");
        var r = await CliRunner.RunAsync("optimize", "zoo:mlp", "--precision", "int8", "--calibration", empty, "-o", output);
        CliRunner.AssertOneLineError(r);
        Assert.Contains("is empty", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Single(Directory.GetFileSystemEntries(_dir)); // no temporary file left behind
    }

    [Fact]
    public async Task Optimize_CalibrationWithWrongShape_NamesFileAndShapes()
    {
        var calib = Directory.CreateDirectory(Path.Combine(_dir, "calib")).FullName;
        WriteNpy(Path.Combine(calib, "0.npy"), TensorDataType.Float, [1, 100], new float[100]);
        var output = OldOutput();
        var r = await CliRunner.RunAsync("optimize", "zoo:mlp", "--precision", "int8", "--calibration", calib, "-o", output);
        CliRunner.AssertOneLineError(r);
        Assert.Contains("0.npy': input 'input' expects shape [batch,784], found [1,100]", r.StdErr, StringComparison.Ordinal);
        Assert.Equal("old", await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task Optimize_CalibrationWithWrongDtype_NamesExpectedAndFound()
    {
        var calib = Directory.CreateDirectory(Path.Combine(_dir, "calib")).FullName;
        WriteNpy(Path.Combine(calib, "0.npy"), TensorDataType.Int64, [1, 784], new long[784]);
        var output = OldOutput();
        var r = await CliRunner.RunAsync("optimize", "zoo:mlp", "--precision", "int8", "--calibration", calib, "-o", output);
        CliRunner.AssertOneLineError(r);
        Assert.Contains("expects float values, found int64", r.StdErr, StringComparison.Ordinal);
        Assert.Equal("old", await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task Optimize_EvaluationFolderMixed_OneLineError()
    {
        var eval = Directory.CreateDirectory(Path.Combine(_dir, "eval")).FullName;
        WriteNpy(Path.Combine(eval, "0.npy"), TensorDataType.Float, [1, 784], new float[784]);
        await File.WriteAllTextAsync(Path.Combine(eval, "labels.csv"), "0,1\n");
        var r = await CliRunner.RunAsync("optimize", "zoo:mlp", "--precision", "fp16", "--evaluation", eval, "-o", Path.Combine(_dir, "out.onnx"));
        CliRunner.AssertOneLineError(r);
        Assert.Contains("labels.csv' is not a sample file", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-folder")]
    [InlineData("is-a-folder")]
    [InlineData("is-the-input")]
    public async Task Optimize_OutputNotWritable_OneLineError(string kind)
    {
        var input = Path.Combine(_dir, "model.onnx");
        Silica.Onnx.Zoo.ModelZoo.Build("mlp").Save(input);
        var output = kind switch
        {
            "missing-folder" => Path.Combine(_dir, "no", "such", "out.onnx"),
            "is-a-folder" => Directory.CreateDirectory(Path.Combine(_dir, "folder.onnx")).FullName,
            _ => input,
        };
        var before = await File.ReadAllBytesAsync(input);
        var r = await CliRunner.RunAsync("optimize", input, "--precision", "fp16", "-o", output);
        CliRunner.AssertOneLineError(r);
        Assert.Equal(before, await File.ReadAllBytesAsync(input));
    }

    [Fact]
    public async Task Optimize_ModelNotOnnx_OneLineError()
    {
        var input = Path.Combine(_dir, "model.onnx");
        await File.WriteAllTextAsync(input, "not a model");
        var r = await CliRunner.RunAsync("optimize", input, "--precision", "fp16", "-o", Path.Combine(_dir, "out.onnx"));
        CliRunner.AssertOneLineError(r);
        Assert.False(File.Exists(Path.Combine(_dir, "out.onnx")));
    }

    private string OldOutput()
    {
        var path = Path.Combine(_dir, "out.onnx");
        File.WriteAllText(path, "old");
        return path;
    }

    private static void WriteNpy<T>(string path, TensorDataType type, long[] shape, T[] values)
        where T : unmanaged =>
        File.WriteAllBytes(path, NpyTestFile.Format(type, shape, MemoryMarshal.AsBytes(values.AsSpan())));
}

/// <summary>Writes NPY version 1 files the way NumPy does, independent of the reader under test.</summary>
internal static class NpyTestFile
{
    public static byte[] Format(TensorDataType type, long[] shape, ReadOnlySpan<byte> data)
    {
        var descr = type switch
        {
            TensorDataType.Float => "<f4",
            TensorDataType.Int64 => "<i8",
            TensorDataType.Int32 => "<i4",
            TensorDataType.Double => "<f8",
            _ => throw new NotSupportedException(type.ToString()),
        };
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xff), (byte)(header.Length >> 8) };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data.ToArray());
        return [.. bytes];
    }
}
