using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Attribution;

/// <summary>Requests without client_id from devices told apart by their remote address (a server of its own that sees addresses).</summary>
public sealed class AddressAttributionTests : IAsyncLifetime
{
    private readonly SciotServerFactory _factory = new(configure: builder =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, RemoteAddressStartupFilter>()));
    private readonly ScriptedDevice _device = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _device.Dispose();
    }

    private HttpClient From(string address)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add(RemoteAddressStartupFilter.Header, address);
        return client;
    }

    [Fact]
    public async Task Single_client_at_an_address_gets_its_requests_without_client_id()
    {
        using var camera = From("10.0.0.21");
        using var neighbour = From("10.0.0.22");
        await camera.RegisterAsync("addr_cam");
        await neighbour.RegisterAsync("addr_nb");
        Assert.Equal("10.0.0.21", (await camera.ClientAsync("addr_cam")).GetProperty("remote_address").GetString());

        using var frame = await camera.PostAsync("/api/device_input", ServerHttp.Binary(new byte[96 * 96 * 2]));
        Assert.Equal("addr_cam", (await ServerHttp.OkJsonAsync(frame)).GetProperty("client_id").GetString());

        using var decision = await camera.GetAsync("/api/offloading_layer");
        Assert.Equal(-1, (await ServerHttp.OkJsonAsync(decision)).GetProperty("offloading_layer_index").GetInt32());

        // v2 carries no device id: the address decides.
        var reply = await camera.PostResultOkAsync(null, _device.V2(ScriptedDevice.Fomo, 58, _device.Frame(ScriptedDevice.Fomo, 1)));
        Assert.Equal("addr_cam", reply.GetProperty("client_id").GetString());
        Assert.Equal(1, (await camera.ClientAsync("addr_cam")).GetProperty("frames_received").GetInt64());
        Assert.Equal(0, (await camera.ClientAsync("addr_nb")).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task Two_clients_at_one_address_make_a_request_without_client_id_ambiguous()
    {
        using var gateway = From("10.0.0.50");
        await gateway.RegisterAsync("gw_one");
        await gateway.RegisterAsync("gw_two");

        using var decision = await gateway.GetAsync("/api/offloading_layer");
        var problem = await ServerHttp.AssertProblemAsync(decision, HttpStatusCode.BadRequest);
        Assert.Contains("10.0.0.50", problem.Detail());
        Assert.Equal("client_id", problem.Field());

        // A v1 device id still names one of them, so that request is not ambiguous.
        var reply = await gateway.PostResultOkAsync(null, _device.V1(ScriptedDevice.Fomo, 10, _device.Frame(ScriptedDevice.Fomo, 1), "gw_two"));
        Assert.Equal("gw_two", reply.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task Unknown_address_without_client_id_is_400()
    {
        using var stranger = From("10.0.0.99");
        using var response = await stranger.GetAsync("/api/offloading_layer");
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("register", problem.Detail());
    }
}
