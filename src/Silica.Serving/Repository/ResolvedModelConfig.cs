using Silica.Runtime.Batching;

namespace Silica.Serving.Repository;

/// <summary>A configuration with every field decided: what the server actually runs a model version with.</summary>
internal sealed record ResolvedModelConfig(string Backend, BatcherOptions Batching, IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs);
