namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>
/// One sample of a query: a unique id for this run and the index of the input to use from the
/// caller's sample library (as MLPerf LoadGen's <c>QuerySample</c>).
/// </summary>
/// <param name="Id">Unique, increasing id of the sample within one run.</param>
/// <param name="Index">Index into the sample library, in <c>[0, RunSettings.SampleLibrarySize)</c>.</param>
public readonly record struct QuerySample(long Id, int Index);
