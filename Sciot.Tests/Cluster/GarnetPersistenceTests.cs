using Sciot.Tests.TestSupport;
using StackExchange.Redis;

namespace Sciot.Tests.Cluster;

/// <summary>Garnet as the AppHost runs it keeps what it acknowledged through a crash: the cluster's grains and records survive a Garnet restart.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GarnetPersistenceTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sciot-garnet-").FullName;

    [Fact]
    public async Task Keys_written_before_a_kill_are_there_after_the_restart()
    {
        var port = TestPorts.FreeBelowEphemeralRange();
        using (var garnet = await GarnetProcess.StartAsync(_data, port))
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(garnet.ConnectionString);
            var db = connection.GetDatabase();
            await db.StringSetAsync("sciot/test/session", "fomo_96x96");
            await db.HashSetAsync("sciot/test/fleet", [new HashEntry("a1b2c3d4", "fomo_96x96"), new HashEntry("device_01", "mobilenet_lite")]);
            await db.ListRightPushAsync("sciot/test/inferences", ["first", "second"]);
            garnet.Kill();
        }
        using var restarted = await GarnetProcess.StartAsync(_data, port);
        await using var again = await ConnectionMultiplexer.ConnectAsync(restarted.ConnectionString);
        var read = again.GetDatabase();
        Assert.Equal("fomo_96x96", (string?)await read.StringGetAsync("sciot/test/session"));
        Assert.Equal("mobilenet_lite", (string?)await read.HashGetAsync("sciot/test/fleet", "device_01"));
        Assert.Equal(["first", "second"], (await read.ListRangeAsync("sciot/test/inferences")).Select(v => v.ToString()));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
