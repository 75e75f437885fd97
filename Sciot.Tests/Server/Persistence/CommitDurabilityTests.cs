using Microsoft.Extensions.DependencyInjection;
using Sciot.Server.Storage;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Persistence;

/// <summary>The configured durability is what SQLite is told: NORMAL (no fsync per commit) by default, FULL for power loss.</summary>
public sealed class CommitDurabilityTests
{
    [Theory]
    [InlineData(null, 1L)]
    [InlineData("ProcessCrash", 1L)]
    [InlineData("PowerLoss", 2L)]
    public async Task The_servers_database_commits_with_the_configured_synchronous_level(string? setting, long synchronous)
    {
        var settings = new Dictionary<string, string?>();
        if (setting is not null)
        {
            settings["Sciot:Server:CommitDurability"] = setting;
        }
        await using var factory = new SciotServerFactory(settings: settings);
        using var _ = factory.CreateClient();

        Assert.Equal(synchronous, factory.Services.GetRequiredService<SciotDatabase>().Synchronous);
    }

    [Fact]
    public async Task An_unknown_durability_stops_the_server_at_start_naming_the_setting()
    {
        await using var factory = new SciotServerFactory(settings: new Dictionary<string, string?> { ["Sciot:Server:CommitDurability"] = "Sometimes" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("CommitDurability", error.ToString());
    }
}
