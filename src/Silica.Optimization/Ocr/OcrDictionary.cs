namespace Silica.Optimization.Ocr;

/// <summary>
/// A recognition model's character set (PaddleOCR's <c>ppocr_keys_v1.txt</c>: one character per line). Class 0 of
/// the model's output is the CTC blank, classes 1..N are the dictionary's characters in file order, and models
/// trained with <c>use_space_char</c> have one more class, a space, at the end.
/// </summary>
public sealed class OcrDictionary
{
    private readonly string[] _characters;
    private readonly HashSet<string> _known;

    private OcrDictionary(string[] characters, bool hasSpace)
    {
        _characters = characters;
        HasSpace = hasSpace;
        _known = new HashSet<string>(characters, StringComparer.Ordinal);
        if (hasSpace)
        {
            _known.Add(" ");
        }
    }

    /// <summary>Output classes the model must have: blank + characters (+ space).</summary>
    public int ClassCount => 1 + _characters.Length + (HasSpace ? 1 : 0);

    /// <summary>True when the last class is a space.</summary>
    public bool HasSpace { get; }

    /// <summary>The dictionary's characters, in class order starting at class 1.</summary>
    public IReadOnlyList<string> Characters => _characters;

    /// <summary>Reads a dictionary file.</summary>
    /// <param name="path">One character per line, UTF-8.</param>
    /// <param name="useSpaceChar">Whether the model has the extra space class (PaddleOCR's default for its published models).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty.</exception>
    public static OcrDictionary Load(string path, bool useSpaceChar = true)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"OCR dictionary not found: {path}", path);
        }
        // PaddleOCR strips the line ending only ("\r\n" or "\n"); a line holding a space is a character.
        var lines = File.ReadAllText(path).Split('\n');
        var chars = lines.Select(l => l.TrimEnd('\r')).ToList();
        if (chars.Count > 0 && chars[^1].Length == 0)
        {
            chars.RemoveAt(chars.Count - 1);
        }
        if (chars.Count == 0)
        {
            throw new InvalidDataException($"OCR dictionary {path} is empty");
        }
        return new OcrDictionary([.. chars], useSpaceChar);
    }

    /// <summary>The text of output class <paramref name="classIndex"/> (empty for the blank).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The class is outside the model's output.</exception>
    public string TextOf(int classIndex)
    {
        if (classIndex == 0)
        {
            return "";
        }
        if (classIndex >= 1 && classIndex <= _characters.Length)
        {
            return _characters[classIndex - 1];
        }
        if (HasSpace && classIndex == _characters.Length + 1)
        {
            return " ";
        }
        throw new ArgumentOutOfRangeException(nameof(classIndex), $"class {classIndex} is outside the dictionary's {ClassCount} classes");
    }

    /// <summary>True when every character of <paramref name="text"/> can be recognized.</summary>
    public bool CanSpell(string text) => text.All(c => _known.Contains(c.ToString()));

    /// <summary>Checks a recognizer's class count against this dictionary.</summary>
    /// <exception cref="InvalidDataException">The counts differ, so decoding would map classes to wrong characters.</exception>
    public void CheckClassCount(long modelClasses)
    {
        if (modelClasses != ClassCount)
        {
            throw new InvalidDataException(
                $"the recognizer has {modelClasses} output classes but the dictionary gives {ClassCount} (blank + {_characters.Length} characters{(HasSpace ? " + space" : "")})");
        }
    }
}
