using System.Net;
using Sciot.Core.Imaging;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

[Collection(ServerCollection.Name)]
public sealed class DeviceInputTests(ServerFixture server)
{
    private const int FrameBytes = 96 * 96 * 2;

    private HttpClient Http => server.Client;

    [Fact]
    public async Task Frame_of_the_model_input_size_is_accepted_and_counted()
    {
        var id = server.NewClientId("cam");
        await Http.RegisterAsync(id);
        var scene = new SyntheticSceneGenerator(96, 96, ["background", "circle", "square"], 1).Next();
        var frame = Rgb565.Encode(scene.Image);
        Assert.Equal(FrameBytes, frame.Length);

        using var response = await Http.PostAsync($"/api/device_input?client_id={id}", ServerHttp.Binary(frame));
        var reply = await ServerHttp.OkJsonAsync(response);
        Assert.Equal(FrameBytes, reply.GetProperty("bytes").GetInt32());
        Assert.Equal(id, reply.GetProperty("client_id").GetString());
        Assert.Equal(1, (await Http.ClientAsync(id)).GetProperty("frames_received").GetInt64());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(FrameBytes - 1)]
    public async Task Short_frame_is_422_stating_the_expected_size(int size)
    {
        var id = server.NewClientId("cam");
        await Http.RegisterAsync(id);

        using var response = await Http.PostAsync($"/api/device_input?client_id={id}", ServerHttp.Binary(new byte[size]));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(FrameBytes.ToString(), problem.Detail());
        Assert.Contains($"got {size}", problem.Detail());
        Assert.Equal(0, (await Http.ClientAsync(id)).GetProperty("frames_received").GetInt64());
    }

    [Theory]
    [InlineData(FrameBytes + 2)]
    [InlineData(96 * 96 * 3)]
    public async Task Frame_longer_than_the_model_input_is_refused_before_it_is_read(int size)
    {
        var id = server.NewClientId("cam");
        await Http.RegisterAsync(id);

        using var response = await Http.PostAsync($"/api/device_input?client_id={id}", ServerHttp.Binary(new byte[size]));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"at most {FrameBytes}", problem.Detail());
        Assert.Equal(0, (await Http.ClientAsync(id)).GetProperty("frames_received").GetInt64());
    }
}
