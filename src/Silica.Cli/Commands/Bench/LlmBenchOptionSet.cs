using System.CommandLine;
using System.Globalization;
using Silica.Benchmarking.Llm;

namespace Silica.Cli.Commands.Bench;

/// <summary>The options <c>silica bench --llm</c> adds, and how it reads the shared ones (--qps is the request rate).</summary>
internal sealed class LlmBenchOptionSet
{
    public Option<bool> Enabled { get; } = new("--llm") { Description = "Benchmark a decoder as an LLM server: open-loop requests, TTFT/TPOT percentiles, tokens/s, goodput" };

    private readonly Option<string> _promptLength = new("--prompt-len") { Description = "With --llm: prompt tokens, fixed:N | uniform:A-B | file:PATH (one length per line)", DefaultValueFactory = _ => "uniform:16-64" };

    private readonly Option<string> _outputLength = new("--output-len") { Description = "With --llm: output tokens, fixed:N | uniform:A-B | file:PATH", DefaultValueFactory = _ => "fixed:32" };

    private readonly Option<int?> _requests = new("--requests") { Description = "With --llm: requests to send (default: --qps x --duration)" };

    private readonly Option<string?> _sloTtft = new("--slo-ttft") { Description = "With --llm: time-to-first-token objective for goodput, e.g. 500ms" };

    private readonly Option<string?> _sloTpot = new("--slo-tpot") { Description = "With --llm: time-per-output-token objective for goodput, e.g. 50ms" };

    private readonly Option<string?> _apiKey = new("--api-key") { Description = "With --llm --url: the server's API key (sent as Authorization: Bearer)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Enabled);
        command.Options.Add(_promptLength);
        command.Options.Add(_outputLength);
        command.Options.Add(_requests);
        command.Options.Add(_sloTtft);
        command.Options.Add(_sloTpot);
        command.Options.Add(_apiKey);
    }

    public LlmBenchRequest Parse(ParseResult parse, Argument<string?> model, Option<string?> url, Option<string?> remoteModel, Option<string?> qps,
        Option<string> duration, Option<string> threads, Option<int> seed, Option<string?> json)
    {
        var rateText = parse.GetValue(qps) ?? "1";
        if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !double.IsFinite(rate) || rate <= 0)
        {
            throw new UsageException($"with --llm, --qps is the request rate and expects a positive number; got '{rateText}'");
        }
        var requests = parse.GetValue(_requests)
            ?? Math.Max(1, (int)Math.Round(rate * Parsing.Duration(parse.GetValue(duration)!, "--duration").TotalSeconds));
        if (requests < 1)
        {
            throw new UsageException($"--requests must be at least 1; got {requests}");
        }
        var threadList = Parsing.IntList(parse.GetValue(threads)!, "--threads", min: 0);
        if (threadList.Count != 1)
        {
            throw new UsageException("with --llm, --threads takes one value (the engine's intra-op threads)");
        }
        Uri? target = null;
        var remote = parse.GetValue(remoteModel);
        var positional = parse.GetValue(model);
        if (parse.GetValue(url) is { } u)
        {
            if (!Uri.TryCreate(u, UriKind.Absolute, out target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException($"--url must be an absolute http:// or https:// address; got '{u}'");
            }
            if (positional is not null)
            {
                throw new UsageException($"with --url the model runs on the server; name it with --model instead of '{positional}'");
            }
            if (string.IsNullOrWhiteSpace(remote))
            {
                throw new UsageException("--llm --url needs --model, the model's name on the server");
            }
        }
        else if (positional is null)
        {
            throw new UsageException("bench --llm needs a decoder (zoo:llama-tiny, zoo:gpt2, a decoder .onnx), or --url and --model for an OpenAI-compatible server");
        }
        else if (remote is not null)
        {
            throw new UsageException("--model names a model on a server; use it with --url");
        }
        var options = new LlmBenchOptions
        {
            RequestRate = rate,
            Requests = requests,
            PromptLength = LengthDistribution.Parse(parse.GetValue(_promptLength)!, "--prompt-len"),
            OutputLength = LengthDistribution.Parse(parse.GetValue(_outputLength)!, "--output-len"),
            SloTtft = parse.GetValue(_sloTtft) is { } t ? Parsing.Duration(t, "--slo-ttft") : null,
            SloTpot = parse.GetValue(_sloTpot) is { } p ? Parsing.Duration(p, "--slo-tpot") : null,
            Seed = parse.GetValue(seed),
        };
        options.Validate();
        return new LlmBenchRequest(positional, target, remote, parse.GetValue(_apiKey), options, threadList[0], parse.GetValue(json));
    }
}
