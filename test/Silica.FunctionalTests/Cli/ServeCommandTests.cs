using System.Diagnostics;
using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_ZooModelOnPort0_PrintsUrlAnswersReadyAndDrainsOnSigterm()
    {
        using var process = Start("serve", "zoo:mlp", "--http-port", "0", "--log-level", "warning");
        try
        {
            var rest = await ReadRestUrlAsync(process);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            using var ready = await client.GetAsync(rest + "/health/ready");
            Assert.Equal(200, (int)ready.StatusCode);
            Assert.Equal("""{"ready":true}""", await ready.Content.ReadAsStringAsync());
            var data = string.Join(",", Enumerable.Range(0, 784).Select(i => (i % 7 * 0.25).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            using var infer = await client.PostAsync(rest + "/models/mlp/infer",
                new StringContent($$"""{"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","data":[{{data}}]}]}"""));
            Assert.Equal(200, (int)infer.StatusCode);
            using var doc = JsonDocument.Parse(await infer.Content.ReadAsStringAsync());
            Assert.Equal(10, doc.RootElement.GetProperty("outputs")[0].GetProperty("data").GetArrayLength());

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("serve", "zoo:mlp", "--http-port", "abc")]
    [InlineData("serve", "zoo:mlp", "--batching", "max=0")]
    [InlineData("serve", "zoo:mlp", "--max-body", "lots")]
    [InlineData("serve", "zoo:mlp", "--allow-model-control")]
    [InlineData("serve", "zoo:mlp", "--host", "not-an-ip")]
    [InlineData("serve", "zoo:nosuchmodel")]
    [InlineData("serve", "/nonexistent/model.onnx")]
    [InlineData("serve")]
    [InlineData("serve", "zoo:mlp", "--repository", "/tmp")]
    public async Task Serve_BadFlag_OneLineErrorExit2(params string[] args) =>
        CliRunner.AssertOneLineError(await CliRunner.RunAsync(args));

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "silica.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        // Drain stderr so the server never blocks on a full pipe.
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task<string> ReadRestUrlAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("REST", StringComparison.Ordinal))
            {
                return line["REST".Length..].Trim();
            }
        }
        throw new InvalidOperationException($"silica serve exited ({process.ExitCode}) before printing its URL");
    }
}
