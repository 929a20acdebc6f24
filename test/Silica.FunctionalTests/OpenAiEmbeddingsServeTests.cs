using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Silica.FunctionalTests;

/// <summary><c>silica serve zoo:bert-base</c> answers OpenAI's <c>/v1/embeddings</c> beside the Open Inference Protocol.</summary>
public sealed class OpenAiEmbeddingsServeTests
{
    [Fact]
    public async Task ServeBert_Embeddings_TextGivesUnitVectorsAndUnknownModelIs404()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "silica.dll"), "serve", "zoo:bert-base", "--http-port", "0", "--log-level", "none"])
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            string? v1 = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                while (v1 is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    v1 = line.StartsWith("OpenAI", StringComparison.Ordinal) ? line["OpenAI".Length..].Trim().TrimEnd('/') : null;
                }
            }
            Assert.NotNull(v1);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

            using var response = await http.PostAsync(v1 + "/embeddings",
                new StringContent("""{"model":"bert-base","input":["a red apple","a green pear"]}""", Encoding.UTF8, "application/json"));
            using var unknown = await http.PostAsync(v1 + "/embeddings",
                new StringContent("""{"model":"bert-huge","input":"x"}""", Encoding.UTF8, "application/json"));

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            using var doc = JsonDocument.Parse(text);
            var vectors = doc.RootElement.GetProperty("data").EnumerateArray()
                .Select(d => d.GetProperty("embedding").EnumerateArray().Select(e => (double)e.GetSingle()).ToArray()).ToList();
            Assert.Equal(2, vectors.Count);
            Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 4));
            Assert.NotEqual(vectors[0], vectors[1]);
            Assert.Equal(404, (int)unknown.StatusCode);
            using var error = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
            Assert.Equal("model_not_found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
            using var models = JsonDocument.Parse(await http.GetStringAsync(v1 + "/models"));
            Assert.Equal("bert-base", models.RootElement.GetProperty("data")[0].GetProperty("id").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
