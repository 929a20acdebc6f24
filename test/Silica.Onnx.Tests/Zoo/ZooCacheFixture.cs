namespace Silica.Onnx.Tests.Zoo;

/// <summary>
/// Points <c>SILICA_CACHE</c> at a fresh temporary folder for the zoo tests, so they build into it and
/// never read or fill the user's real cache; removed when the tests end.
/// </summary>
public sealed class ZooCacheFixture : IDisposable
{
    public ZooCacheFixture()
    {
        Root = Directory.CreateTempSubdirectory("silica-zoo-tests-").FullName;
        Environment.SetEnvironmentVariable("SILICA_CACHE", Root);
    }

    public string Root { get; }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("SILICA_CACHE", null);
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>
/// Zoo tests share one cache and run one class at a time: weighted models take hundreds of megabytes
/// each, and the machine has two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ZooCollection : ICollectionFixture<ZooCacheFixture>
{
    public const string Name = "Zoo";
}
