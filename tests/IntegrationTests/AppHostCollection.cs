namespace IntegrationTests;

// xUnit needs the collection definition in the test assembly itself; the fixture lives in TestSupport.
[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "app host";
}
