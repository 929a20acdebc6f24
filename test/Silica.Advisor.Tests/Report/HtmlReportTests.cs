using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Silica.Advisor.Report;
using Silica.Advisor.Results;

namespace Silica.Advisor.Tests.Report;

public sealed partial class HtmlReportTests
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    [Fact]
    public void Render_Sample_EverySvgParsesAsXml()
    {
        var html = HtmlReport.Render(SampleResults.Create());
        SampleResults.DumpIfAsked(html, "sample");

        var svgs = Svgs(html);

        Assert.Equal(3, svgs.Count);
        foreach (var svg in svgs)
        {
            var root = XElement.Parse(svg);
            Assert.Equal(XName.Get("svg", SvgNamespace), root.Name);
            Assert.NotNull(root.Attribute("viewBox"));
        }
    }

    [Fact]
    public void Render_Sample_ReferencesNoExternalResource()
    {
        var html = HtmlReport.Render(SampleResults.Create());

        var withoutNamespace = html.Replace("xmlns=\"" + SvgNamespace + "\"", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", withoutNamespace, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", withoutNamespace, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\s(src|href)\s*=", html);
    }

    [Fact]
    public void Render_Sample_ContainsNoNaNOrInfinity()
    {
        var html = HtmlReport.Render(SampleResults.Create());

        AssertFinite(html);
    }

    [Fact]
    public void Render_NonFiniteFigures_WritesNoNaNAndStillParses()
    {
        var sample = SampleResults.Create();
        var broken = sample with
        {
            Requirement = sample.Requirement with { SloP99Ms = double.NaN },
            Deployments =
            [
                .. sample.Deployments.Select((d, i) => i % 2 == 0
                    ? d with { P99HighMs = double.PositiveInfinity, CostPerMillionLow = double.NaN, CapacityQpsPerInstance = double.NaN }
                    : d with { JoulesPerInference = double.NegativeInfinity, CostPerMillionHigh = double.PositiveInfinity }),
            ],
            Curves =
            [
                .. sample.Curves,
                new TargetCurve("g6.xlarge", "fp8", "predicted",
                [
                    new CurvePoint(1, double.NaN, double.NaN, double.NaN, double.NaN),
                    new CurvePoint(2, 0, 0, 0, 0),
                    new CurvePoint(4, 3, 0, double.PositiveInfinity, 1333),
                    new CurvePoint(8, 5, 4, 6, double.PositiveInfinity),
                ]),
            ],
            Breakdowns =
            [
                .. sample.Breakdowns,
                new TimeBreakdown("g6.xlarge", "fp8", 8, new Dictionary<string, double> { ["conv"] = double.NaN, ["gemm"] = -1 }),
            ],
            Claims = [new ClaimVerdict("x", "uncertain", double.NaN, double.NegativeInfinity, double.PositiveInfinity, 0.5, "no data")],
        };

        var html = HtmlReport.Render(broken);

        AssertFinite(html);
        Assert.All(Svgs(html), svg => XElement.Parse(svg));
    }

    [Fact]
    public void Render_HostileText_IsEscapedEverywhere()
    {
        const string attack = "<script>alert(1)</script>";
        var sample = SampleResults.Create();
        var hostile = sample with
        {
            Model = sample.Model with { Name = attack, Source = "\"><img src=x onerror=alert(2)>" },
            Deployments =
            [
                .. sample.Deployments.Select(d => d.Rank == 1 ? d with { InstanceId = attack, BasisDetail = "\" onmouseover=\"alert(3)" } : d),
            ],
            Curves = [.. sample.Curves, SampleResults.Curve(attack, "fp16", "predicted", (1, 2.0), (8, 6.0))],
            Claims = [sample.Claims[0] with { Claim = attack }],
            Notes = [attack],
        };

        var html = HtmlReport.Render(hostile);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\" onmouseover=", html, StringComparison.Ordinal);
        Assert.Contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; — silica compare</title>", html, StringComparison.Ordinal);
        Assert.All(Svgs(html), svg => XElement.Parse(svg));
    }

    [Fact]
    public void Render_Sample_MarksEveryParetoPointInChartAndTable()
    {
        var html = HtmlReport.Render(SampleResults.Create());
        var scatter = XElement.Parse(Svgs(html)[0]);

        var paretoGroups = scatter.Descendants(XName.Get("g", SvgNamespace))
            .Where(g => (string?)g.Attribute("class") == "point pareto")
            .ToList();
        var paretoTitles = paretoGroups.Select(g => g.Element(XName.Get("title", SvgNamespace))!.Value).ToList();
        var labels = scatter.Descendants(XName.Get("text", SvgNamespace))
            .Where(t => (string?)t.Attribute("class") == "point-label")
            .Select(t => t.Value)
            .ToList();

        Assert.Equal(SampleResults.ParetoInstances.Length, paretoGroups.Count);
        foreach (var id in SampleResults.ParetoInstances)
        {
            Assert.Contains(paretoTitles, t => t.Contains(" " + id + " ", StringComparison.Ordinal));
            Assert.Contains(labels, l => l.Contains(" " + id + " ", StringComparison.Ordinal));
        }

        Assert.Single(scatter.Descendants(XName.Get("path", SvgNamespace)), p => (string?)p.Attribute("class") == "front-line");
        Assert.Equal(SampleResults.ParetoInstances.Length, Regex.Count(html, "<tr class=\"pareto\">"));
    }

    [Fact]
    public void Render_Sample_ShowsEveryDeploymentsInstanceIdInTheTables()
    {
        var sample = SampleResults.Create();
        var html = HtmlReport.Render(sample);

        foreach (var d in sample.Deployments)
        {
            Assert.Contains("<td class=\"id\">" + d.InstanceId + "</td>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_Sample_FoldsInfeasibleWithReason()
    {
        var html = HtmlReport.Render(SampleResults.Create());

        var details = Regex.Match(html, "<details class=\"infeasible\">(.*?)</details>", RegexOptions.Singleline);
        Assert.True(details.Success);
        Assert.Contains("c7i.large", details.Value, StringComparison.Ordinal);
        Assert.Contains("exceeds the 50 ms SLO", details.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("c7i.8xlarge", details.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnpricedDeployment_ShowsUnpricedAndStaysOffTheCostChart()
    {
        var html = HtmlReport.Render(SampleResults.Create());
        var scatter = XElement.Parse(Svgs(html)[0]);

        Assert.Contains("<td class=\"num unpriced\">unpriced</td>", html, StringComparison.Ordinal);
        var points = scatter.Descendants(XName.Get("g", SvgNamespace))
            .Count(g => ((string?)g.Attribute("class") ?? "").StartsWith("point", StringComparison.Ordinal));
        Assert.Equal(5, points);
        Assert.Contains("1 feasible deployment is not drawn", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Sample_EveryFigureSaysMeasuredOrPredicted()
    {
        var html = HtmlReport.Render(SampleResults.Create());

        var heads = Regex.Matches(html, "<div class=\"figure-head\">(.*?)</div>").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(3, heads.Count);
        // The only measured deployment is the unpriced local machine, which the cost chart cannot place.
        Assert.Contains(">predicted</span>", heads[0], StringComparison.Ordinal);
        Assert.Contains(">measured and predicted</span>", heads[1], StringComparison.Ordinal);
        Assert.Contains(">predicted</span>", heads[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Sample_ShowsClaimVerdictWithRatioAndBand()
    {
        var html = HtmlReport.Render(SampleResults.Create());

        Assert.Contains("<span class=\"verdict no\">no</span>", html, StringComparison.Ordinal);
        Assert.Contains("0.750<span class=\"band\">0.610–0.930</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NothingToCompare_RendersPlaceholdersWithoutThrowing()
    {
        var empty = new CompareResults
        {
            Model = new ModelInfo("empty.onnx", "empty.onnx", new Dictionary<string, long>(), 0, 0, 0),
            Requirement = new Requirement(10, 100, []),
        };

        var html = HtmlReport.Render(empty);
        SampleResults.DumpIfAsked(html, "empty");

        Assert.Empty(Svgs(html));
        Assert.Contains("No priced feasible deployment to plot.", html, StringComparison.Ordinal);
        Assert.Contains("No batch curve to plot.", html, StringComparison.Ordinal);
        Assert.Contains("No time breakdown to plot.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<figcaption>", html, StringComparison.Ordinal);
        Assert.Contains("No deployment was considered.", html, StringComparison.Ordinal);
        Assert.Contains("every figure in this report is predicted", html, StringComparison.Ordinal);
        AssertFinite(html);
    }

    [Fact]
    public void Render_ManyDeploymentsAndCurves_FoldsRowsAndLimitsSeries()
    {
        var sample = SampleResults.Create();
        var many = sample with
        {
            Deployments =
            [
                .. Enumerable.Range(1, 30).Select(i => SampleResults.Deployment(
                    i, Id(i), "aws", "a10g", "gpu", "fp16", 32, 2, 2, 1.0, 0.2 + (i * 0.01), 40 - i, pareto: i % 10 == 0)),
            ],
            Curves =
            [
                .. Enumerable.Range(1, 15).Select(i => SampleResults.Curve(Id(i), "fp16", "predicted", (1, 2.0 + i), (8, 6.0 + i))),
            ],
        };

        var html = HtmlReport.Render(many);
        var lines = XElement.Parse(Svgs(html)[1]).Descendants(XName.Get("g", SvgNamespace))
            .Count(g => ((string?)g.Attribute("class") ?? "").StartsWith("series", StringComparison.Ordinal));

        Assert.Equal(TargetSelection.MaxSeries, lines);
        Assert.Contains("3 more curves are not drawn", html, StringComparison.Ordinal);
        Assert.Contains("10 more feasible deployments", html, StringComparison.Ordinal);
        Assert.Contains("m30.xlarge", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Large_ParsesMarksTheWholeFrontAndStaysFinite()
    {
        var large = SampleResults.Large();
        var html = HtmlReport.Render(large);
        SampleResults.DumpIfAsked(html, "large");

        var svgs = Svgs(html);
        var scatter = XElement.Parse(svgs[0]);
        var front = large.Deployments.Count(d => d.OnParetoFront);

        Assert.Equal(3, svgs.Count);
        Assert.All(svgs, svg => XElement.Parse(svg));
        Assert.InRange(front, 2, 39);
        Assert.Equal(front, scatter.Descendants(XName.Get("text", SvgNamespace)).Count(t => (string?)t.Attribute("class") == "point-label"));
        AssertFinite(html);
    }

    [Fact]
    public void Render_UnderACommaDecimalCulture_IsIdenticalToInvariant()
    {
        var sample = SampleResults.Create();
        var invariant = HtmlReport.Render(sample);
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NumberGroupSeparator = ".";
        comma.NumberFormat.NegativeSign = "\u2212";

        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = comma;
            Assert.Equal(invariant, HtmlReport.Render(sample));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    private static string Id(int i) => "m" + i.ToString(CultureInfo.InvariantCulture) + ".xlarge";

    private static List<string> Svgs(string html) =>
        [.. SvgElement().Matches(html).Select(m => m.Value)];

    private static void AssertFinite(string html)
    {
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", html, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<svg\\b.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();
}
