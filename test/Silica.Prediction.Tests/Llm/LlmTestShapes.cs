using Silica.Hardware;
using Silica.Prediction.Llm;

namespace Silica.Prediction.Tests.Llm;

/// <summary>Published architectures (Hugging Face config.json of Meta-Llama-3-8B and Llama-2-70b-hf) and catalog lookups.</summary>
internal static class LlmTestShapes
{
    public static readonly DecoderShape Llama3_8B = DecoderShape.Llama("llama-3-8b", layers: 32, hidden: 4096, heads: 32, kvHeads: 8,
        intermediate: 14336, vocab: 128256, contextLength: 8192);

    public static readonly DecoderShape Llama2_70B = DecoderShape.Llama("llama-2-70b", layers: 80, hidden: 8192, heads: 64, kvHeads: 8,
        intermediate: 28672, vocab: 32000, contextLength: 4096);

    private static readonly Lazy<Catalog> Default = new(CatalogLoader.LoadDefault);

    public static Catalog Catalog => Default.Value;

    public static (InstanceOffer Instance, DeviceSpec Device) Target(string instanceId)
    {
        var instance = Catalog.FindInstance(instanceId)!;
        return (instance, Catalog.DeviceOf(instance)!);
    }

    public static DecoderStepModel Model(DecoderShape shape, string instanceId, NumericFormat precision, int tp = 1)
    {
        var (instance, device) = Target(instanceId);
        return new DecoderStepModel(shape, DecoderReplica.Create(instance, device, precision, tp));
    }
}
