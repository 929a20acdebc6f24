using System.Text;

namespace Silica.Advisor.Report;

/// <summary>
/// Writes inline SVG: every coordinate through <see cref="N"/> (two decimals, invariant, never NaN) and every
/// text through <see cref="Html.Escape"/>, so the output parses as XML whatever the data.
/// </summary>
internal sealed class SvgWriter
{
    /// <summary>The one URL the report contains: the SVG namespace, which is a name, not a resource.</summary>
    public const string Namespace = "http://www.w3.org/2000/svg";

    private readonly StringBuilder _sb = new();

    /// <summary>Starts an <c>svg</c> element scaled to its container's width.</summary>
    public SvgWriter(double width, double height, string label)
    {
        _sb.Append("<svg xmlns=\"").Append(Namespace).Append("\" class=\"chart\" viewBox=\"0 0 ")
            .Append(N(width)).Append(' ').Append(N(height)).Append("\" role=\"img\" aria-label=\"")
            .Append(Html.Escape(label)).Append("\">\n");
    }

    /// <summary>A coordinate: rounded to 0.01, invariant culture; 0 for a non-finite value.</summary>
    public static string N(double value)
    {
        if (!double.IsFinite(value))
        {
            return "0";
        }

        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return rounded == 0 ? "0" : rounded.ToString("0.##", Html.Invariant);
    }

    /// <summary>Estimated width of <paramref name="text"/> at <paramref name="fontSize"/> in a sans-serif face.</summary>
    public static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.56;

    /// <summary>A straight line.</summary>
    public SvgWriter Line(double x1, double y1, double x2, double y2, string cssClass, string? stroke = null)
    {
        _sb.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1))
            .Append("\" x2=\"").Append(N(x2)).Append("\" y2=\"").Append(N(y2)).Append('"');
        Attr("class", cssClass).Attr("stroke", stroke);
        _sb.Append("/>\n");
        return this;
    }

    /// <summary>A rectangle, with an optional hover tooltip.</summary>
    public SvgWriter Rect(double x, double y, double width, double height, string cssClass, string? fill = null, string? title = null)
    {
        _sb.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y))
            .Append("\" width=\"").Append(N(Math.Max(0, width))).Append("\" height=\"").Append(N(Math.Max(0, height))).Append('"');
        Attr("class", cssClass).Attr("fill", fill);
        CloseWithTitle("rect", title);
        return this;
    }

    /// <summary>A circle.</summary>
    public SvgWriter Circle(double cx, double cy, double r, string cssClass, string? fill = null, string? stroke = null)
    {
        _sb.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"").Append(N(r)).Append('"');
        Attr("class", cssClass).Attr("fill", fill).Attr("stroke", stroke);
        _sb.Append("/>\n");
        return this;
    }

    /// <summary>A path; <paramref name="data"/> must be built with <see cref="N"/>.</summary>
    public SvgWriter Path(string data, string cssClass, string? fill = null, string? stroke = null)
    {
        _sb.Append("<path d=\"").Append(data).Append('"');
        Attr("class", cssClass).Attr("fill", fill).Attr("stroke", stroke);
        _sb.Append("/>\n");
        return this;
    }

    /// <summary>A line of text; <paramref name="anchor"/> is <c>start</c>, <c>middle</c> or <c>end</c>.</summary>
    public SvgWriter Text(double x, double y, string text, string cssClass, string anchor = "start", double rotate = 0)
    {
        _sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append('"');
        Attr("class", cssClass);
        if (anchor != "start")
        {
            Attr("text-anchor", anchor);
        }

        if (rotate != 0)
        {
            _sb.Append(" transform=\"rotate(").Append(N(rotate)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        }

        _sb.Append('>').Append(Html.Escape(text)).Append("</text>\n");
        return this;
    }

    /// <summary>Opens a group whose hover tooltip is <paramref name="title"/>; close it with <see cref="EndGroup"/>.</summary>
    public SvgWriter Group(string? cssClass = null, string? title = null)
    {
        _sb.Append("<g");
        Attr("class", cssClass);
        _sb.Append('>');
        if (title is not null)
        {
            _sb.Append("<title>").Append(Html.Escape(title)).Append("</title>");
        }

        _sb.Append('\n');
        return this;
    }

    /// <summary>Closes the innermost group.</summary>
    public SvgWriter EndGroup()
    {
        _sb.Append("</g>\n");
        return this;
    }

    /// <summary>
    /// Grid lines, ticks and labels of a horizontal axis at <paramref name="y"/>, spanning the plot up to
    /// <paramref name="gridTop"/>, with <paramref name="title"/> centred underneath.
    /// </summary>
    public SvgWriter XAxis(Axis axis, double y, double gridTop, Func<double, string> label, string title)
    {
        foreach (var tick in axis.Ticks())
        {
            var x = axis.Map(tick);
            Line(x, gridTop, x, y, "grid");
            Line(x, y, x, y + 5, "axis");
            Text(x, y + 19, label(tick), "tick", "middle");
        }

        Line(axis.Map(axis.Min), y, axis.Map(axis.Max), y, "axis");
        return Text((axis.Map(axis.Min) + axis.Map(axis.Max)) / 2, y + 42, title, "axis-title", "middle");
    }

    /// <summary>
    /// Grid lines, ticks and labels of a vertical axis at <paramref name="x"/>, with grid lines to
    /// <paramref name="gridRight"/> and <paramref name="title"/> rotated along the left edge at <paramref name="titleX"/>.
    /// </summary>
    public SvgWriter YAxis(Axis axis, double x, double gridRight, Func<double, string> label, string title, double titleX)
    {
        foreach (var tick in axis.Ticks())
        {
            var y = axis.Map(tick);
            Line(x, y, gridRight, y, "grid");
            Line(x - 5, y, x, y, "axis");
            Text(x - 8, y + 4, label(tick), "tick", "end");
        }

        Line(x, axis.Map(axis.Min), x, axis.Map(axis.Max), "axis");
        return Text(titleX, (axis.Map(axis.Min) + axis.Map(axis.Max)) / 2, title, "axis-title", "middle", -90);
    }

    /// <summary>Closes the <c>svg</c> element and returns the markup.</summary>
    public string Finish() => _sb.Append("</svg>\n").ToString();

    private SvgWriter Attr(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _sb.Append(' ').Append(name).Append("=\"").Append(Html.Escape(value)).Append('"');
        }

        return this;
    }

    private void CloseWithTitle(string element, string? title)
    {
        if (title is null)
        {
            _sb.Append("/>\n");
            return;
        }

        _sb.Append("><title>").Append(Html.Escape(title)).Append("</title></").Append(element).Append(">\n");
    }
}
