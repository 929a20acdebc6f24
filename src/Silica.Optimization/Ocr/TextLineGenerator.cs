using System.Globalization;
using System.Text;

namespace Silica.Optimization.Ocr;

/// <summary>
/// Seeded text that reads like real lines of a document: words in three cases, numbers, prices, dates, times,
/// percentages and codes, with the punctuation around them. Only ASCII letters, digits, space and
/// <see cref="Punctuation"/> appear: characters both the PaddleOCR dictionary and the DejaVu fonts have.
/// </summary>
internal sealed class TextLineGenerator
{
    /// <summary>Every punctuation mark a line may hold.</summary>
    public const string Punctuation = ".,:;!?-()$%/'\"&#+@";

    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "is", "for", "on", "with", "as", "by", "at", "from", "or", "an", "be", "this",
        "that", "are", "was", "not", "all", "new", "more", "time", "year", "people", "way", "day", "man", "thing",
        "world", "life", "hand", "part", "child", "eye", "place", "work", "week", "case", "point", "number", "group",
        "problem", "fact", "total", "amount", "invoice", "order", "account", "balance", "payment", "date", "due",
        "price", "item", "quantity", "address", "street", "city", "phone", "email", "customer", "service", "report",
        "page", "section", "table", "figure", "model", "system", "network", "memory", "server", "cloud", "latency",
        "throughput", "request", "response", "batch", "image", "text", "line", "result", "error", "warning", "value",
        "station", "train", "ticket", "platform", "minutes", "hours", "north", "south", "east", "west", "river",
        "market", "coffee", "bread", "milk", "water", "green", "blue", "red", "black", "white", "small", "large",
        "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "open", "closed", "daily", "monday", "friday",
        "january", "march", "october", "december", "received", "shipped", "pending", "approved", "signed", "office",
        "building", "floor", "room", "exit", "entrance", "welcome", "thank", "you", "please", "note", "subject",
        "discount", "tax", "net", "gross", "weight", "height", "width", "length", "speed", "limit", "zone",
    ];

    private static readonly string[] Codes = ["ID", "REF", "NO", "INV", "PO", "SKU", "A", "B", "X", "Z"];

    private readonly Random _random;

    public TextLineGenerator(int seed) => _random = new Random(seed);

    /// <summary>The random source, shared with the renderer so one seed fixes text and looks together.</summary>
    public Random Random => _random;

    /// <summary>Every character a generated line may hold.</summary>
    public static string Alphabet { get; } =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 " + Punctuation;

    /// <summary>A line of <paramref name="minWords"/> to <paramref name="maxWords"/> tokens.</summary>
    public string NextLine(int minWords, int maxWords)
    {
        var count = _random.Next(minWords, maxWords + 1);
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            sb.Append(NextToken(first: i == 0, last: i == count - 1));
        }
        return sb.ToString();
    }

    private string NextToken(bool first, bool last)
    {
        var roll = _random.NextDouble();
        var token = roll switch
        {
            < 0.62 => Word(first),
            < 0.72 => Integer(),
            < 0.78 => Price(),
            < 0.83 => Date(),
            < 0.87 => Time(),
            < 0.91 => Percent(),
            < 0.95 => Code(),
            _ => Contact(),
        };
        return Decorate(token, last);
    }

    private string Word(bool first)
    {
        var w = Words[_random.Next(Words.Length)];
        var style = _random.NextDouble();
        if (style < 0.08)
        {
            return w.ToUpperInvariant();
        }
        return first || style < 0.3 ? char.ToUpperInvariant(w[0]) + w[1..] : w;
    }

    private string Integer()
    {
        var magnitude = _random.Next(1, 7);
        var n = _random.Next((int)Math.Pow(10, magnitude - 1), (int)Math.Pow(10, magnitude));
        return n >= 1000 && _random.NextDouble() < 0.5 ? n.ToString("N0", CultureInfo.InvariantCulture) : n.ToString(CultureInfo.InvariantCulture);
    }

    private string Price() =>
        "$" + (_random.Next(1, 500000) / 100.0).ToString(_random.NextDouble() < 0.3 ? "N2" : "F2", CultureInfo.InvariantCulture);

    private string Date()
    {
        int y = _random.Next(1990, 2031), m = _random.Next(1, 13), d = _random.Next(1, 29);
        return _random.NextDouble() < 0.5
            ? $"{y:D4}-{m:D2}-{d:D2}"
            : $"{d:D2}/{m:D2}/{y:D4}";
    }

    private string Time() => $"{_random.Next(0, 24):D2}:{_random.Next(0, 60):D2}";

    private string Percent() =>
        (_random.NextDouble() < 0.5 ? _random.Next(0, 101).ToString(CultureInfo.InvariantCulture) : (_random.Next(0, 1000) / 10.0).ToString("F1", CultureInfo.InvariantCulture)) + "%";

    private string Code() =>
        Codes[_random.Next(Codes.Length)] + (_random.NextDouble() < 0.5 ? "-" : "") + _random.Next(1, 100000).ToString(CultureInfo.InvariantCulture);

    private string Contact() => _random.Next(3) switch
    {
        0 => $"{Words[_random.Next(Words.Length)]}@{Words[_random.Next(Words.Length)]}.com",
        1 => $"+1 {_random.Next(200, 1000)}-{_random.Next(100, 1000)}-{_random.Next(1000, 10000)}",
        _ => $"#{_random.Next(1, 1000)}",
    };

    private string Decorate(string token, bool last)
    {
        var roll = _random.NextDouble();
        if (last && roll < 0.35)
        {
            return token + ".!?"[_random.Next(3)];
        }
        return roll switch
        {
            < 0.10 => token + ",",
            < 0.13 => token + ":",
            < 0.14 => token + ";",
            < 0.16 => "(" + token + ")",
            < 0.18 => "\"" + token + "\"",
            < 0.19 => token + "'s",
            < 0.20 => token + " &",
            < 0.21 => token + " /",
            < 0.22 => token + " -",
            < 0.23 => token + " +",
            _ => token,
        };
    }
}
