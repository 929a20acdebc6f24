using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Serving.Hosting;

namespace Silica.Serving.Tests.Hosting;

/// <summary>RELIABILITY row 27: a model that crashes the native runtime kills only the probe process.</summary>
public class ProcessModelProbeTests
{
    private static readonly Onnx.Graph.OnnxModel Model = ModelZoo.Build("mlp");

    [Fact]
    public void ChildThatCrashes_RefusesTheModel_NamingTheSignal()
    {
        // A stand-in for a runtime crash: the child kills itself with SIGSEGV, as a native fault would.
        var probe = new ProcessModelProbe("/bin/sh", ["-c", "kill -SEGV $$", "sh"], TimeSpan.FromSeconds(10));

        var e = Assert.Throws<ModelLoadException>(() => probe.Probe("evil", "/tmp/evil.onnx", Model, "cpu"));

        Assert.Equal("model 'evil': the probe process crashed loading it (signal 11)", e.Message);
    }

    [Fact]
    public void ChildThatRefuses_PassesItsOneLineReason()
    {
        var probe = new ProcessModelProbe("/bin/sh", ["-c", "echo 'silica: cannot load model: bad opset' >&2; exit 2", "sh"], TimeSpan.FromSeconds(10));

        var e = Assert.Throws<ModelLoadException>(() => probe.Probe("m", "/tmp/m.onnx", Model, "cpu"));

        Assert.Equal("model 'm': cannot load model: bad opset", e.Message);
    }

    [Fact]
    public void ChildThatHangs_IsKilledAtTheTimeout()
    {
        var probe = new ProcessModelProbe("/bin/sh", ["-c", "sleep 30", "sh"], TimeSpan.FromMilliseconds(300));

        var e = Assert.Throws<ModelLoadException>(() => probe.Probe("slow", "/tmp/slow.onnx", Model, "cpu"));

        Assert.Contains("did not finish loading it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChildThatSucceeds_AcceptsTheModel_AndInMemoryModelsAreNotProbed()
    {
        new ProcessModelProbe("/bin/sh", ["-c", "exit 0", "sh"], TimeSpan.FromSeconds(10)).Probe("ok", "/tmp/ok.onnx", Model, "cpu");
        new ProcessModelProbe("/nonexistent/program", [], TimeSpan.FromSeconds(1)).Probe("zoo", null, Model, "cpu");
    }
}
