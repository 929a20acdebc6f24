using Silica.Optimization.Data;

namespace Silica.Optimization.Ocr;

/// <summary>Rendered pages as detector samples, with the pages themselves and the true line boxes.</summary>
/// <param name="Samples">Detector inputs, labelled with each page's text.</param>
/// <param name="Pages">The rendered pages (images, lines, boxes in page pixels).</param>
/// <param name="MapBoxes">Each page's true line boxes in detector-map pixels, for <see cref="BoxIouMetric"/>.</param>
public sealed record OcrPageSet(SampleSet Samples, IReadOnlyList<RenderedPage> Pages, IReadOnlyList<IReadOnlyList<TextBox>> MapBoxes);
