namespace Silica.Serving.Metrics;

/// <summary>
/// OpenTelemetry's generative-AI semantic conventions as Silica uses them: each chat, completion or embeddings request
/// is one activity on the <see cref="ServingTelemetry.SourceName"/> source named <c>"{operation} {model}"</c>
/// (e.g. <c>chat gpt2</c>) carrying these attributes, and the meter publishes the <c>gen_ai.server.*</c> histograms.
/// </summary>
public static class GenAiTelemetry
{
    /// <summary><c>chat</c>, <c>text_completion</c> or <c>embeddings</c>.</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary>The serving system: always <c>silica</c>.</summary>
    public const string ProviderName = "gen_ai.provider.name";

    /// <summary>The model the client asked for.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary>The model that answered.</summary>
    public const string ResponseModel = "gen_ai.response.model";

    /// <summary>The response id (<c>chatcmpl-...</c>).</summary>
    public const string ResponseId = "gen_ai.response.id";

    /// <summary>The most tokens the request may generate.</summary>
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";

    /// <summary>The sampling temperature.</summary>
    public const string RequestTemperature = "gen_ai.request.temperature";

    /// <summary>The nucleus-sampling threshold.</summary>
    public const string RequestTopP = "gen_ai.request.top_p";

    /// <summary>The top-k limit.</summary>
    public const string RequestTopK = "gen_ai.request.top_k";

    /// <summary>The request's seed.</summary>
    public const string RequestSeed = "gen_ai.request.seed";

    /// <summary>The request's stop sequences.</summary>
    public const string RequestStopSequences = "gen_ai.request.stop_sequences";

    /// <summary>Why each choice finished (<c>stop</c>, <c>length</c>, <c>abort</c>), as a string array.</summary>
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";

    /// <summary>Prompt tokens.</summary>
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";

    /// <summary>Generated tokens.</summary>
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";

    /// <summary>The error type of a failed request (the HTTP status class or the OpenAI error type).</summary>
    public const string ErrorType = "error.type";

    /// <summary>Seconds from the request's arrival to its first token (Silica's own attribute).</summary>
    public const string TimeToFirstToken = "silica.gen_ai.time_to_first_token";
}
