namespace Silica.Prediction.Priors;

/// <summary>A public document a prior was derived from.</summary>
/// <param name="Title">Document title.</param>
/// <param name="Url">Where to read it.</param>
/// <param name="Date">Month read or published, <c>YYYY-MM</c>.</param>
public sealed record Citation(string Title, string Url, string Date);
