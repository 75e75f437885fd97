namespace Sciot.Tests.Server.TestSupport;

/// <summary>Test classes that share one <see cref="ServerFixture"/>; xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "Sciot server";
}
