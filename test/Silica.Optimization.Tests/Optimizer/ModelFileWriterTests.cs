using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;
using Silica.Optimization.Optimizer;

namespace Silica.Optimization.Tests.Optimizer;

public sealed class ModelFileWriterTests
{
    [Fact]
    public void Write_ReplacesTheFileAndLeavesNoTemporaryFiles()
    {
        var dir = Directory.CreateTempSubdirectory("silica-writer-").FullName;
        try
        {
            var path = Path.Combine(dir, "out.onnx");
            File.WriteAllText(path, "old");
            var model = ModelZoo.Build("mlp", new ZooBuildOptions { WithWeights = false });

            var written = ModelFileWriter.Write(model, path);

            Assert.Equal(new FileInfo(path).Length, written);
            Assert.Equal(model.Graph.Nodes.Count, OnnxModel.Load(path).Graph.Nodes.Count);
            Assert.Equal(["out.onnx"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void EnsureWritable_MissingFolder_Throws()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ModelFileWriter.EnsureWritable("/no/such/folder/out.onnx"));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureWritable_PathIsAFolder_Throws()
    {
        var dir = Directory.CreateTempSubdirectory("silica-writer-").FullName;
        try
        {
            Assert.Throws<UnauthorizedAccessException>(() => ModelFileWriter.EnsureWritable(dir));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Write_RenameFails_RemovesTheTemporaryFileAndKeepsTheDestination()
    {
        var dir = Directory.CreateTempSubdirectory("silica-writer-").FullName;
        try
        {
            // A non-empty folder at the destination makes the final rename fail after the bytes are written.
            var destination = Directory.CreateDirectory(Path.Combine(dir, "out.onnx")).FullName;
            File.WriteAllText(Path.Combine(destination, "keep.txt"), "old");

            Assert.Throws<UnauthorizedAccessException>(() => ModelFileWriter.Write([1, 2, 3], destination));

            Assert.Equal("old", File.ReadAllText(Path.Combine(destination, "keep.txt")));
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
