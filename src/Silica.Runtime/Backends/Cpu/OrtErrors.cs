using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace Silica.Runtime.Backends.Cpu;

/// <summary>The one place that turns ONNX Runtime's exceptions into Silica's, keeping ORT's own text.</summary>
internal static partial class OrtErrors
{
    /// <summary>A failed run: names the model and, when ORT's message says, the node and its operator.</summary>
    public static InferenceException Run(string modelName, OnnxRuntimeException e)
    {
        var text = Clean(e.Message);
        var m = NodePattern().Match(text);
        if (m.Success)
        {
            var op = m.Groups["op"].Value;
            var node = m.Groups["node"].Value;
            var status = StatusPattern().Match(text) is { Success: true } s ? s.Groups["msg"].Value.Trim() : text;
            return new InferenceException(modelName, node, op, $"model '{modelName}' failed in node '{node}' ({op}): {status}", e);
        }
        return new InferenceException(modelName, null, null, $"model '{modelName}' failed: {text}", e);
    }

    /// <summary>A failed load, as one line.</summary>
    public static ModelLoadException Load(string modelName, Exception e) =>
        new($"cannot load model '{modelName}': {Clean(e.Message)}", e);

    // ORT prefixes "[ErrorCode:X] " and sometimes spans lines; callers print one line.
    private static string Clean(string message)
    {
        var text = SourceLocationPattern().Replace(ErrorCodePattern().Replace(message, ""), "");
        var newline = text.IndexOfAny(['\r', '\n']);
        return (newline >= 0 ? text[..newline] : text).Trim();
    }

    [GeneratedRegex(@"running (?<op>[\w.]+) node\. Name:'(?<node>[^']*)'")]
    private static partial Regex NodePattern();

    [GeneratedRegex(@"Status Message: (?<msg>.*)$")]
    private static partial Regex StatusPattern();

    // Release builds prefix some messages with "/onnxruntime_src/...h:46 void ns::Function(args) "; users need the sentence after it.
    [GeneratedRegex(@"^/\S+:\d+\s+.*?\)\s+(?=[A-Z])")]
    private static partial Regex SourceLocationPattern();

    [GeneratedRegex(@"^\[ErrorCode:\w+\]\s*")]
    private static partial Regex ErrorCodePattern();
}
