using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Data;

/// <summary>
/// Reads calibration or evaluation samples from a folder. Two layouts are accepted:
/// <list type="bullet">
/// <item><b>Flat</b> (single-input models): one file per sample — <c>.npy</c>, ONNX <c>TensorProto</c> <c>.pb</c>, or
/// <c>.png</c>/<c>.jpg</c>/<c>.jpeg</c> images (these need an <see cref="ImagePreprocessing"/>). One kind per folder.</item>
/// <item><b>One subfolder per sample</b> (any model): each holds one file per model input, named after the input
/// (<c>input_ids.npy</c>, <c>attention_mask.pb</c>) or by position (<c>input_0.pb</c>, <c>input_1.npy</c>) — the ONNX
/// backend test layout <c>test_data_set_N/input_K.pb</c>. Its <c>output_K.pb</c> files (expected outputs) are ignored.</item>
/// </list>
/// Samples are ordered by name, numbers compared as numbers (<c>2.npy</c> before <c>10.npy</c>). Names starting with a
/// dot are ignored. Element types must equal the input's; fixed and bound dimensions must match; a file one rank short
/// of an input whose first dimension is the batch gets a batch of 1.
/// </summary>
public static class SampleFolder
{
    private static readonly string[] TensorExtensions = [".npy", ".pb"];
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    /// <summary>Reads every sample in <paramref name="folder"/> for a model with <paramref name="inputs"/>.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="inputs">The model's runtime inputs (see <see cref="ModelInputs.Of"/>).</param>
    /// <param name="bindings">Sizes of symbolic dimensions; samples must agree with them.</param>
    /// <param name="preprocessing">How to turn images into tensors; null when the folder must not hold images.</param>
    /// <param name="limit">Read at most this many samples (the first by name); null reads all.</param>
    /// <exception cref="SampleDataException">The folder is missing, empty or mixed, or a file does not fit its input.</exception>
    public static SampleSet Load(string folder, IReadOnlyList<TensorInfo> inputs, IReadOnlyDictionary<string, long> bindings,
        ImagePreprocessing? preprocessing = null, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(bindings);
        if (!Directory.Exists(folder))
        {
            throw new SampleDataException(File.Exists(folder)
                ? $"'{folder}' is a file; give a folder of samples (.npy, .pb or images, or one subfolder per sample)"
                : $"sample folder '{folder}' does not exist");
        }
        if (inputs.Count == 0)
        {
            throw new SampleDataException("the model has no runtime inputs to feed samples to");
        }
        var files = Visible(Directory.GetFiles(folder));
        var subfolders = Visible(Directory.GetDirectories(folder));
        if (files.Count > 0 && subfolders.Count > 0)
        {
            throw new SampleDataException(
                $"'{folder}' mixes files ({Path.GetFileName(files[0])}) and subfolders ({Path.GetFileName(subfolders[0])}); use one file per sample or one subfolder per sample");
        }
        if (files.Count == 0 && subfolders.Count == 0)
        {
            throw new SampleDataException($"sample folder '{folder}' is empty");
        }
        var take = limit ?? int.MaxValue;
        var samples = files.Count > 0
            ? LoadFlat(folder, files.Take(take).ToList(), inputs, bindings, preprocessing)
            : subfolders.Take(take).Select(d => LoadSubfolder(d, inputs, bindings)).ToList();
        return new SampleSet(samples, Path.GetFullPath(folder), IsSynthetic: false);
    }

    private static List<Sample> LoadFlat(string folder, List<string> files, IReadOnlyList<TensorInfo> inputs,
        IReadOnlyDictionary<string, long> bindings, ImagePreprocessing? preprocessing)
    {
        var kinds = files.Select(f => (File: f, Ext: Path.GetExtension(f).ToLowerInvariant())).ToList();
        if (kinds.FirstOrDefault(k => !TensorExtensions.Contains(k.Ext) && !ImageExtensions.Contains(k.Ext)) is { File: not null } unknown)
        {
            throw new SampleDataException(
                $"'{unknown.File}' is not a sample file (use .npy, .pb, .png, .jpg or .jpeg; names starting with '.' are ignored)");
        }
        var first = Kind(kinds[0].Ext);
        if (kinds.FirstOrDefault(k => Kind(k.Ext) != first) is { File: not null } other)
        {
            throw new SampleDataException(
                $"'{folder}' mixes {first} files ({Path.GetFileName(kinds[0].File)}) with {Kind(other.Ext)} files ({Path.GetFileName(other.File)}); use one kind");
        }
        if (inputs.Count > 1)
        {
            throw new SampleDataException(
                $"the model has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); put each sample in its own subfolder with one file per input, named after it (e.g. {inputs[0].Name}.npy) or input_0.pb, input_1.pb");
        }
        var input = inputs[0];
        if (first == "image" && preprocessing is null)
        {
            throw new SampleDataException(
                $"'{folder}' holds images; say how to turn them into tensors with --preprocess imagenet|unit|ocr-rec");
        }
        var samples = new List<Sample>(files.Count);
        foreach (var (file, ext) in kinds)
        {
            var raw = ext switch
            {
                ".npy" => NpyFormat.Read(file),
                ".pb" => TensorProtoFile.Read(file),
                _ => ImageFile.Read(file, input, bindings, preprocessing!.Value),
            };
            var tensor = InputFit.ToTensor(raw, input, bindings, file);
            samples.Add(new Sample(new Dictionary<string, Tensor> { [input.Name] = tensor }, null, Path.GetFileName(file)));
        }
        return samples;
    }

    private static Sample LoadSubfolder(string dir, IReadOnlyList<TensorInfo> inputs, IReadOnlyDictionary<string, long> bindings)
    {
        var byInput = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Visible(Directory.GetFiles(dir)))
        {
            var ext = Path.GetExtension(file).ToLowerInvariant();
            var stem = Path.GetFileNameWithoutExtension(file);
            if (ext == ".pb" && stem.StartsWith("output_", StringComparison.Ordinal))
            {
                continue; // expected outputs in the ONNX backend test layout
            }
            if (!TensorExtensions.Contains(ext))
            {
                throw new SampleDataException($"'{file}' is not a tensor file (a sample subfolder holds .npy or .pb files, one per input)");
            }
            var input = MatchInput(stem, inputs)
                ?? throw new SampleDataException(
                    $"'{file}' names no model input; name files after the inputs ({string.Join(", ", inputs.Select(i => i.Name))}) or input_0..input_{inputs.Count - 1}");
            if (!byInput.TryAdd(input.Name, file))
            {
                throw new SampleDataException($"'{dir}' has two files for input '{input.Name}': {Path.GetFileName(byInput[input.Name])} and {Path.GetFileName(file)}");
            }
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (!byInput.TryGetValue(input.Name, out var file))
            {
                throw new SampleDataException(
                    $"'{dir}' has no file for input '{input.Name}' (expected {input.Name}.npy, {input.Name}.pb or input_{IndexOf(inputs, input)}.pb/.npy)");
            }
            var raw = Path.GetExtension(file).Equals(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFormat.Read(file) : TensorProtoFile.Read(file);
            tensors[input.Name] = InputFit.ToTensor(raw, input, bindings, file);
        }
        return new Sample(tensors, null, Path.GetFileName(dir));
    }

    private static TensorInfo? MatchInput(string stem, IReadOnlyList<TensorInfo> inputs)
    {
        if (inputs.FirstOrDefault(i => i.Name == stem) is { } byName)
        {
            return byName;
        }
        if (stem.StartsWith("input_", StringComparison.Ordinal)
            && int.TryParse(stem.AsSpan(6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k)
            && k < inputs.Count)
        {
            return inputs[k];
        }
        return null;
    }

    private static int IndexOf(IReadOnlyList<TensorInfo> inputs, TensorInfo input)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            if (ReferenceEquals(inputs[i], input))
            {
                return i;
            }
        }
        return -1;
    }

    private static string Kind(string ext) => ext switch
    {
        ".npy" => ".npy",
        ".pb" => ".pb",
        _ => "image",
    };

    private static List<string> Visible(string[] paths) =>
        [.. paths.Where(p => !Path.GetFileName(p).StartsWith('.')).Order(NaturalOrder.Instance)];
}
