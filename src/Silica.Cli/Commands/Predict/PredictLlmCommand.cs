using System.Globalization;
using System.Text.Json;
using Silica.Advisor.Llm;
using Silica.Hardware;
using Silica.Prediction;
using Silica.Prediction.Llm;

namespace Silica.Cli.Commands.Predict;

/// <summary>
/// <c>silica predict &lt;decoder&gt; --llm --target X --batch b --prompt-len p --output-len o [--tp t] [--json]</c>: TTFT and
/// TPOT with their bands, memory fit and tensor-parallel degree, or "does not fit".
/// </summary>
internal static class PredictLlmCommand
{
    /// <summary>The values <c>predict --llm</c> uses.</summary>
    public sealed record Settings(string Model, string Target, int Batch, int PromptTokens, int OutputTokens, string? Precision, int? TensorParallel,
        IReadOnlyList<string> CatalogFiles, bool Json);

    public static int Run(Settings s)
    {
        if (s.Batch < 1)
        {
            throw new UsageException($"--batch must be at least 1 (got {s.Batch})");
        }
        if (s.PromptTokens < 1 || s.OutputTokens < 1)
        {
            throw new UsageException($"--prompt-len and --output-len must be at least 1 (got {s.PromptTokens} and {s.OutputTokens})");
        }
        if (s.TensorParallel is < 1)
        {
            throw new UsageException($"--tp must be at least 1 (got {s.TensorParallel})");
        }
        var catalog = CatalogLoader.LoadWithOverrides([.. s.CatalogFiles]);
        var shape = DecoderInput.Resolve(s.Model).Shape;
        var target = LlmTarget.Resolve(catalog, s.Target);
        var precision = s.Precision is null ? DefaultPrecision(target.Device) : Precision.Parse(s.Precision);
        var p = LlmPredictor.Predict(catalog, shape, s.Target, precision, s.Batch, s.PromptTokens, s.OutputTokens, s.TensorParallel);
        if (s.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(Json(p, s.Model, precision, s), new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Print(p, s.Model, precision, s);
        }
        return 0;
    }

    /// <summary>The 16-bit format the device serves LLMs in: BF16 where it has it, else FP16, else its first format.</summary>
    public static NumericFormat DefaultPrecision(DeviceSpec device) =>
        new[] { NumericFormat.Bf16, NumericFormat.Fp16, NumericFormat.Fp32 }.FirstOrDefault(f => Precision.IsSupported(device, f), NumericFormat.Fp32);

    private static object Json(LlmPrediction p, string model, NumericFormat precision, Settings s)
    {
        var l = p.Latency;
        var replica = p.Plan.Model.Replica;
        return new
        {
            kind = "predicted",
            model,
            target = p.InstanceId,
            device = replica.Device.Id,
            precision = Precision.Name(precision),
            batch = s.Batch,
            promptTokens = s.PromptTokens,
            outputTokens = s.OutputTokens,
            fits = p.Fits,
            tensorParallel = p.Fits ? p.Plan.Degree : (int?)null,
            replicas = p.Fits ? replica.ReplicasPerInstance : (int?)null,
            ttftMs = l?.TtftSeconds * 1e3,
            ttftLowMs = l?.TtftLowSeconds * 1e3,
            ttftHighMs = l?.TtftHighSeconds * 1e3,
            tpotMs = l?.TpotSeconds * 1e3,
            tpotLowMs = l?.TpotLowSeconds * 1e3,
            tpotHighMs = l?.TpotHighSeconds * 1e3,
            prefillBound = l?.PrefillBound,
            decodeBound = l?.DecodeBound,
            communicationShare = l?.CommunicationShare,
            decodeTokensPerSecondPerReplica = l?.DecodeTokensPerSecond,
            decodeTokensPerSecondPerInstance = p.Fits ? p.InstanceDecodeTokensPerSecond : (double?)null,
            memory = new
            {
                requiredBytes = (l?.Memory ?? p.Plan.Memory).RequiredBytes,
                weightBytes = (l?.Memory ?? p.Plan.Memory).WeightBytes,
                kvBytes = (l?.Memory ?? p.Plan.Memory).KvBytes,
                usableBytes = (l?.Memory ?? p.Plan.Memory).UsableBytes,
            },
            tried = p.Tried.Select(t => new { tensorParallel = t.Degree, fits = t.Memory.Fits, requiredBytes = t.Memory.RequiredBytes, usableBytes = t.Memory.UsableBytes }),
            basis = l?.Basis ?? "does not fit: " + p.Plan.Memory.Describe(),
            band = "90% interval",
        };
    }

    private static void Print(LlmPrediction p, string model, NumericFormat precision, Settings s)
    {
        var c = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(c,
            $"{model} on {p.InstanceId}, batch {s.Batch}, prompt {s.PromptTokens}, output {s.OutputTokens}, {Precision.Name(precision)} — predicted"));
        if (p.Latency is not { } l)
        {
            var largest = p.Tried[^1];
            Console.Out.WriteLine($"  does not fit: {largest.Memory.Describe()}" + (largest.Degree > 1 ? string.Create(c, $" even at TP {largest.Degree}") : ""));
            return;
        }
        var replica = p.Plan.Model.Replica;
        Console.Out.WriteLine($"  layout: {replica.Describe()}");
        Console.Out.WriteLine(string.Create(c, $"  TTFT: {l.TtftSeconds * 1e3:0.###} ms (90% band {l.TtftLowSeconds * 1e3:0.###}-{l.TtftHighSeconds * 1e3:0.###} ms), prefill {l.PrefillBound}-bound"));
        Console.Out.WriteLine(string.Create(c, $"  TPOT: {l.TpotSeconds * 1e3:0.###} ms (90% band {l.TpotLowSeconds * 1e3:0.###}-{l.TpotHighSeconds * 1e3:0.###} ms), decode {l.DecodeBound}-bound") +
            (l.CommunicationShare > 0 ? string.Create(c, $", all-reduce {100 * l.CommunicationShare:0}% of a step") : ""));
        Console.Out.WriteLine(string.Create(c, $"  decode throughput: {l.DecodeTokensPerSecond:0.#} tokens/s per replica, {p.InstanceDecodeTokensPerSecond:0.#} per instance"));
        Console.Out.WriteLine($"  memory per replica: fits, {l.Memory.Describe()}");
        Console.Out.WriteLine($"  basis: {l.Basis}");
    }
}
