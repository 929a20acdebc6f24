using System.Reflection;
using Silica.Serving.Core;

namespace Silica.Serving.OpenAi;

/// <summary>
/// The <see cref="IInferenceServer"/> of a host that serves only generation engines (<c>silica serve zoo:gpt2</c>):
/// live and ready, with no Open Inference Protocol models, so <c>/v2</c> health and metadata answer while
/// <c>/v2/models/...</c> are 404 and the models are reached through <c>/v1</c>.
/// </summary>
public sealed class GenerationOnlyServer : IInferenceServer
{
    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public bool IsReady => true;

    /// <inheritdoc/>
    public ServerMetadata Metadata { get; } = new("silica",
        typeof(GenerationOnlyServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0", ["openai"]);

    /// <inheritdoc/>
    public bool IsModelReady(string model, string? version) => throw NotFound(model);

    /// <inheritdoc/>
    public ModelMetadata GetModelMetadata(string model, string? version) => throw NotFound(model);

    /// <inheritdoc/>
    public ValueTask<InferenceResult> InferAsync(InferenceRequest request, CancellationToken cancellationToken) =>
        throw NotFound(request?.Model ?? "");

    /// <inheritdoc/>
    public IReadOnlyList<ModelIndexEntry> Index(bool readyOnly) => [];

    /// <inheritdoc/>
    public Task LoadAsync(string model, CancellationToken cancellationToken) => throw NotFound(model);

    /// <inheritdoc/>
    public Task UnloadAsync(string model, CancellationToken cancellationToken) => throw NotFound(model);

    /// <inheritdoc/>
    public IReadOnlyList<ModelStatistics> Statistics(string? model, string? version) => model is null ? [] : throw NotFound(model);

    private static ModelNotFoundException NotFound(string model) =>
        new($"unknown model '{model}' (this server serves generation models only, through the OpenAI API under /v1)");
}
