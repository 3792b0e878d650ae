namespace EndToEndTests;

// xUnit needs the collection definition in the test assembly itself; the app host fixture lives in TestSupport.
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<AppHostFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "end to end";
}
