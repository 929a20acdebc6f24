namespace Silica.Advisor.Report;

/// <summary>
/// The report's inline stylesheet. System fonts only, so the file needs nothing from the network; chart colours
/// that carry data are set on the SVG elements themselves and never overridden here.
/// </summary>
internal static class ReportStyle
{
    /// <summary>The contents of the page's <c>style</c> element.</summary>
    public const string Css = """
        :root { --ink: #1d2430; --muted: #5b6678; --rule: #dde2ea; --panel: #f6f8fb; --accent: #2f5fa8; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: var(--ink);
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
        main { max-width: 1320px; margin: 0 auto; padding: 28px 32px 48px; }
        header { border-bottom: 2px solid var(--ink); padding-bottom: 16px; margin-bottom: 8px; }
        .kicker { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); }
        h1 { margin: 4px 0 2px; font-size: 28px; overflow-wrap: anywhere; }
        h2 { margin: 32px 0 10px; font-size: 20px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
        h3 { margin: 20px 0 8px; font-size: 16px; }
        .figure-head h3 { margin: 0; }
        .source { margin: 0 0 12px; color: var(--muted); font-size: 13px; overflow-wrap: anywhere;
          font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        .facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 12px 0; }
        .facts div { min-width: 110px; }
        .facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
        .facts dd { margin: 0; font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .answer { margin: 12px 0 0; padding: 10px 14px; background: var(--panel); border-left: 4px solid var(--accent); }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
        table.narrow { width: auto; min-width: 360px; }
        th, td { padding: 5px 7px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        th { background: var(--panel); font-size: 12px; font-weight: 600; color: var(--muted); vertical-align: bottom; }
        th[title] { text-decoration: underline dotted; cursor: help; }
        tbody tr:hover { background: #fbfcfe; }
        tr.pareto td { background: #fffbea; }
        td.num { text-align: right; white-space: nowrap; }
        td.id { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; white-space: nowrap; }
        td.rank { font-weight: 600; }
        td.cost { font-weight: 600; }
        td.unpriced, td.muted { color: var(--muted); font-style: italic; }
        td.pareto-mark { color: #b8860b; text-align: center; font-size: 15px; }
        td.reason { color: #8a1c1c; }
        td.claim { font-weight: 600; }
        .band { display: block; font-size: 11px; font-weight: 400; color: var(--muted); }
        .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: 0; }
        .badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11px; font-weight: 600; line-height: 18px; cursor: help; }
        .badge.measured { background: #dff3e4; color: #1f6b35; }
        .badge.predicted { background: #e3ecf9; color: #2f5fa8; }
        .badge.mixed { background: #efe6f7; color: #6a3d9a; }
        .verdict { display: inline-block; padding: 1px 9px; border-radius: 4px; font-weight: 700; font-size: 12px; text-transform: uppercase; }
        .verdict.yes { background: #dff3e4; color: #1f6b35; }
        .verdict.no { background: #fbe3e3; color: #a12626; }
        .verdict.uncertain { background: #fff1d6; color: #8a5a00; }
        details { margin: 12px 0; border: 1px solid var(--rule); border-radius: 6px; padding: 6px 12px; }
        details > summary { cursor: pointer; font-weight: 600; color: var(--muted); }
        details[open] > summary { margin-bottom: 8px; }
        .empty { color: var(--muted); font-style: italic; }
        .chart-figure { margin: 22px 0 8px; padding: 14px 16px 10px; border: 1px solid var(--rule); border-radius: 8px; }
        .figure-head { display: flex; align-items: center; gap: 10px; margin-bottom: 4px; }
        figcaption { margin-top: 6px; font-size: 12.5px; color: var(--muted); max-width: 960px; }
        svg.chart { display: block; width: 100%; height: auto; max-width: 1200px; font-size: 12px; }
        svg.chart text { fill: var(--ink); }
        svg.chart .grid { stroke: #eceff4; stroke-width: 1; }
        svg.chart .axis { stroke: #7a8496; stroke-width: 1; }
        svg.chart .tick { font-size: 11.5px; fill: #4a5567; font-variant-numeric: tabular-nums; }
        svg.chart .axis-title { font-size: 12.5px; font-weight: 600; fill: #3b4556; }
        svg.chart .legend { font-size: 12px; }
        svg.chart .legend.measured { font-weight: 600; }
        svg.chart .legend-title { font-size: 11px; font-weight: 600; fill: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
        svg.chart .legend-neutral { fill: #8b93a1; }
        svg.chart .slo { stroke: #c0392b; stroke-width: 1.2; stroke-dasharray: 6 4; }
        svg.chart .slo-label { font-size: 11.5px; fill: #c0392b; font-weight: 600; }
        svg.chart .whisker { stroke-width: 1; opacity: .55; }
        svg.chart .marker { stroke: #fff; stroke-width: 1; }
        svg.chart .point .marker { fill-opacity: .6; }
        svg.chart .point.pareto .marker, svg.chart .pareto-legend { fill-opacity: 1; stroke: #111; stroke-width: 2; }
        svg.chart .front-line { fill: none; stroke: #111; stroke-width: 1.5; stroke-linejoin: round; opacity: .75; }
        svg.chart .point-label { font-size: 11px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
        svg.chart .band { fill-opacity: .1; stroke: none; }
        svg.chart .curve { stroke-width: 2.2; stroke-linejoin: round; }
        svg.chart .curve.dashed { stroke-dasharray: 7 4; }
        svg.chart .curve-dot { stroke: #fff; stroke-width: 1; }
        svg.chart .swatch { stroke: none; }
        svg.chart .segment { stroke: #fff; stroke-width: 1; }
        svg.chart .segment-label { font-size: 11px; fill: #fff; font-weight: 600; pointer-events: none; }
        svg.chart .segment-label.dark { fill: var(--ink); }
        svg.chart .bar-label { font-size: 12px; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        svg.chart .bar-total { font-size: 12px; fill: var(--muted); font-variant-numeric: tabular-nums; }
        svg.chart .bar-empty { fill: #f3f4f6; }
        svg.chart .bar-note { font-size: 11px; fill: var(--muted); font-style: italic; }
        ul.notes { padding-left: 20px; }
        ul.notes li { margin: 4px 0; }
        footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: 12px; color: var(--muted); }
        @media print { main { max-width: none; padding: 0; } details { border: none; } .chart-figure { break-inside: avoid; } }
        """;
}
